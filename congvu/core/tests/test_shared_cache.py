"""Page bodies from the shared cache (`core.shared_cache.cached_body`): rendered once per key, again
after any audited write, per user only when personal, never holding a CSRF token of its own."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from congvu.core import shared_cache
from congvu.core.audit import audit_record
from congvu.org.services import unit_create

pytestmark = pytest.mark.django_db

TEMPLATES = {"body.html": "{{ who }}|{{ request.user.username }}|{% csrf_token %}"}


@pytest.fixture
def locmem_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)],
                "context_processors": ["django.template.context_processors.request"],
            },
        }
    ]


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/trang/", {"q": "x"})
    request.user = user
    request.session = SessionStore()
    return request


class Renders:
    """A context function that counts how often the body was rendered."""

    def __init__(self, who="ai"):
        self.calls, self.who = 0, who

    def __call__(self):
        self.calls += 1
        return {"who": self.who}


def _body(request, context, **kwargs):
    return shared_cache.cached_body(request, name="t", template="body.html", context=context, **kwargs)


def test_a_body_is_rendered_once_and_again_after_an_audited_write(locmem_templates, personas):
    context = Renders()
    first = _body(_request(personas.inspector), context)
    again = _body(_request(personas.inspector), context)
    assert context.calls == 1 and first.split("|")[:2] == again.split("|")[:2] == ["ai", "p-inspector"]
    audit_record(actor=personas.admin, action="unit.update", obj=personas.unit, before={}, after={})
    _body(_request(personas.inspector), context)
    assert context.calls == 2


def test_a_users_own_access_does_not_render_the_body_again(locmem_templates, personas):
    context = Renders()
    _body(_request(personas.inspector), context)
    audit_record(actor=personas.inspector, action="user.login", obj=personas.inspector)
    _body(_request(personas.inspector), context)
    assert context.calls == 1


def test_same_scope_and_role_share_a_body_unless_it_is_personal(
    locmem_templates, personas, django_user_model
):
    other = django_user_model.objects.create_user(username="p-inspector-2", role="inspector")
    shared = Renders()
    assert _body(_request(personas.inspector), shared).startswith("ai|p-inspector|")
    # The second inspector is served the first one's body: nothing in it may be a user's own.
    assert _body(_request(other), shared).startswith("ai|p-inspector|")
    assert shared.calls == 1
    personal = Renders()
    assert _body(_request(personas.inspector), personal, personal=True).startswith("ai|p-inspector|")
    assert _body(_request(other), personal, personal=True).startswith("ai|p-inspector-2|")
    assert personal.calls == 2


def test_other_scope_role_or_query_is_another_body(locmem_templates, personas):
    context = Renders()
    _body(_request(personas.inspector), context)
    _body(_request(personas.focal), context)  # one unit, another role
    _body(_request(personas.lead), context)  # province-wide, another role
    request = _request(personas.inspector)
    request.GET = request.GET.copy()
    request.GET["q"] = "y"
    _body(request, context)
    assert context.calls == 4


def test_each_response_carries_its_own_csrf_token_never_the_cached_one(
    locmem_templates, personas, monkeypatch
):
    stored = []
    store = shared_cache.set
    monkeypatch.setattr(shared_cache, "set", lambda key, value: (stored.append(value), store(key, value)))
    context = Renders()
    bodies = [_body(_request(personas.inspector), context) for _ in range(2)]
    assert context.calls == 1 and len(stored) == 1
    tokens = [body.split('value="')[1].split('"')[0] for body in bodies]
    assert tokens[0] != tokens[1] and shared_cache.CSRF_PLACEHOLDER not in "".join(bodies)
    assert shared_cache.CSRF_PLACEHOLDER in stored[0] and tokens[0] not in stored[0]


def test_a_post_is_refused_and_an_uncacheable_body_is_rendered_every_time(locmem_templates, personas):
    with pytest.raises(ValueError, match="GET only"):
        _body(_request(personas.inspector, "post"), Renders())
    context = Renders()
    _body(_request(personas.inspector), context, cacheable=False)
    _body(_request(personas.inspector), context, cacheable=False)
    assert context.calls == 2


def test_the_organisation_tree_shows_a_new_unit_at_once(client, personas):
    client.force_login(personas.inspector)
    assert "Ban Thử Nghiệm Mới" not in client.get(reverse("org:tree")).content.decode()
    unit_create(actor=personas.admin, code="BTNM", name="Ban Thử Nghiệm Mới", kind="department")
    assert "Ban Thử Nghiệm Mới" in client.get(reverse("org:tree")).content.decode()
