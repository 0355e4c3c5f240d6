"""The default tolerance checklist: Zhejiang's 2016 conditions and never-tolerated cases.

Source: 《关于完善改革创新容错免责机制的若干意见》 (浙江, 2016-11), as summarised in
``MECHANISMS.md`` §5: an error may be tolerated when it fits the spirit of party rules and law,
follows central and provincial decisions, serves reform and development, was decided by the
prescribed procedure, sought no private gain, and the person actively recovered losses or stopped
the harm. Never tolerated: failing the duty of strict party governance; ecological damage,
food/drug safety or work-safety accidents; mishandled mass incidents.

Migration ``0002_default_checklist`` seeds these rows as the default checklist (conditions
without an item). From then on they are data, edited on the checklist page (superusers and
discipline officers at the top of the tree), and a new reform item starts from a copy of what
the default checklist says at that moment. ``DEFAULT_CHECKLIST`` below is what the migration
seeded; tests compare the two.
"""

from __future__ import annotations

DEFAULT_CHECKLIST: list[tuple[str, str]] = [
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
