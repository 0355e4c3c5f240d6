"""Seed the default tolerance checklist (Zhejiang 2016; ``saima.safeguards.checklist``)."""

from django.db import migrations

# A copy, not an import: a migration must keep meaning what it meant when it was written.
DEFAULT_CHECKLIST = [
    ("situation", "为推进改革发展、在先行先试中因缺乏经验出现失误"),
    ("boundary", "符合党章党规和宪法法律法规的精神"),
    ("boundary", "符合中央和省委省政府决策部署"),
    ("criterion", "出于推动改革发展的公心，服务改革发展大局"),
    ("criterion", "经过民主决策等规定程序决策"),
    ("criterion", "没有为自己、他人或单位谋取私利"),
    ("criterion", "积极主动挽回损失、消除不良影响"),
    ("red_line", "不履行全面从严治党主体责任、监督责任"),
    ("red_line", "发生生态环境破坏、食品药品安全或安全生产重大责任事故"),
    ("red_line", "处置群体性事件严重失当"),
]


def seed(apps, schema_editor):
    Condition = apps.get_model("safeguards", "Condition")
    if Condition.objects.filter(item=None).exists():
        return
    Condition.objects.bulk_create(
        Condition(item=None, kind=kind, text=text, position=index)
        for index, (kind, text) in enumerate(DEFAULT_CHECKLIST, start=1)
    )


def unseed(apps, schema_editor):
    apps.get_model("safeguards", "Condition").objects.filter(item=None).delete()


class Migration(migrations.Migration):
    dependencies = [("safeguards", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
