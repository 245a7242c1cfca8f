"""A submission's history keeps what was proposed (its `data`), not only its decision.

History rows written before have no copy of it; they get the submission's data as it is now: what
was proposed, plus where it was published once approved, and already scrubbed where the personal
data were purged. Better than an empty proposal in the record of a decision.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_proposals(apps, schema_editor):
    db = schema_editor.connection.alias
    Submission = apps.get_model("orgs", "Submission")
    HistoricalSubmission = apps.get_model("orgs", "HistoricalSubmission")
    proposed = Submission.objects.using(db).filter(pk=OuterRef("id")).values("data")[:1]
    HistoricalSubmission.objects.using(db).filter(
        id__in=Submission.objects.using(db).values("pk")
    ).update(data=Subquery(proposed))


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0006_sqlite_name_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsubmission',
            name='data',
            field=models.JSONField(blank=True, default=dict, help_text='What was proposed.'),
        ),
        migrations.RunPython(copy_proposals, migrations.RunPython.noop),
    ]
