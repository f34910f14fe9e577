from django.db import migrations, models


def number_findings(apps, schema_editor):
    """Existing findings numbered 1, 2, 3, … per inspection in the order they were recorded."""
    Finding = apps.get_model("inspections", "Finding")
    last: dict[int, int] = {}
    changed = []
    for finding in Finding.objects.order_by("inspection_id", "pk").only("pk", "inspection_id"):
        last[finding.inspection_id] = last.get(finding.inspection_id, 0) + 1
        finding.number = last[finding.inspection_id]
        changed.append(finding)
    Finding.objects.bulk_update(changed, ["number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_daily_deadlines"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="number",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="số thứ tự"),
            preserve_default=False,
        ),
        migrations.RunPython(number_findings, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="finding",
            options={
                "ordering": ["inspection", "number"],
                "verbose_name": "phát hiện",
                "verbose_name_plural": "phát hiện",
            },
        ),
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.UniqueConstraint(fields=("inspection", "number"), name="finding_number_unique"),
        ),
    ]
