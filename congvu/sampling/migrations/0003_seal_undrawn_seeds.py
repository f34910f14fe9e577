"""Encrypt the seeds of samples not yet drawn with the sampling key (settings.SAMPLING_KEY) and blank
their plain column; drawn samples keep their revealed seed. Reversible: the reverse decrypts."""

from django.db import migrations


def seal_undrawn(apps, schema_editor):
    from congvu.sampling.sealing import seal

    Sample = apps.get_model("sampling", "Sample")
    for sample in Sample.objects.exclude(status="drawn").exclude(seed="").only("pk", "seed").iterator():
        Sample.objects.filter(pk=sample.pk).update(seed_sealed=seal(sample.seed), seed="")


def unseal_undrawn(apps, schema_editor):
    from congvu.sampling.sealing import unseal

    Sample = apps.get_model("sampling", "Sample")
    for sample in Sample.objects.exclude(seed_sealed="").only("pk", "seed_sealed").iterator():
        Sample.objects.filter(pk=sample.pk).update(seed=unseal(sample.seed_sealed), seed_sealed="")


class Migration(migrations.Migration):
    dependencies = [("sampling", "0002_sealed_seed_and_redraws")]

    operations = [migrations.RunPython(seal_undrawn, unseal_undrawn)]
