"""Board rows keep the unit's name as frozen with the result (``inputs["names"]``), so a unit
renamed later (撤县设区) still shows on earlier published boards under the name it had."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Result = apps.get_model("races", "Result")
    ResultRow = apps.get_model("races", "ResultRow")
    for result in Result.objects.only("pk", "inputs").iterator(chunk_size=50):
        inputs = result.inputs or {}
        names = dict(zip(inputs.get("units", []), inputs.get("names", []), strict=False))
        rows = list(ResultRow.objects.filter(result_id=result.pk).select_related("unit"))
        for row in rows:
            row.unit_name = names.get(row.unit.code, row.unit.name)
        ResultRow.objects.bulk_update(rows, ["unit_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("races", "0003_objection_one_pending")]

    operations = [
        migrations.AddField(
            model_name="resultrow",
            name="unit_name",
            field=models.CharField(
                blank=True,
                help_text="冻结时的名称：单位日后更名（如撤县设区），已发布的榜单仍显示当时的名称",
                max_length=100,
                verbose_name="发布时的单位名称",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
