"""Arena contests (擂台赛): a series of contests, each with its rubric, contestants and their
pledges (军令状), judges seated in weighted panels, conflicts, scores and the frozen result.

One status enum (``ContestStatus``) says where a contest stands: draft → ready → running →
closed (scoring over) → revealed; ``released`` is the one switch that shows a revealed
contest's results to the public. ``saima.arena.permissions`` reads both in one place.

Scores: one live ``Score`` row per judge seat × contestant × criterion (a database constraint),
written under a row lock; every change of value adds a ``ScoreRevision`` (version, when, how),
so a sheet's history is kept the way Tabbycat keeps ballot submissions, without Tabbycat's
process-local lock. A judge reaches the contest through a ``JudgeLink``: the token is stored
as its SHA-256 only, expires after the contest and can be revoked.

``ContestResult`` is frozen at reveal: the engine's inputs, outputs and digest (re-checked by
the verifier ``arena.results``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saima.org.models import Person, Unit


class ContestLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWN = "town", _("乡镇级")


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    READY = "ready", _("待开始")
    RUNNING = "running", _("进行中")
    CLOSED = "closed", _("评分已结束")
    REVEALED = "revealed", _("已揭晓")


class Method(models.TextChoices):
    MEAN = "mean", _("平均分")
    TRIMMED = "trimmed", _("去掉最高分和最低分")
    STANDARDISED = "standardised", _("标准化分")


class OrderMode(models.TextChoices):
    DRAW = "draw", _("抽签决定")
    FIXED = "fixed", _("固定顺序")


class TimerState(models.TextChoices):
    IDLE = "idle", _("未计时")
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已暂停")
    STOPPED = "stopped", _("已停止")


class ScoringState(models.TextChoices):
    WAITING = "waiting", _("未开始")
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("评分结束")


class Series(models.Model):
    """Contests held again and again on one theme (双月擂台): pledges made at one contest are
    checked at the next contest of the series."""

    name = models.CharField(_("名称"), max_length=120)
    owner = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="arena_series"
    )
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("擂台赛系列")
        verbose_name_plural = _("擂台赛系列")
        ordering = ["owner__path", "name"]

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    """One arena contest (擂台赛): an event with its contestants, judges, rubric and board."""

    series = models.ForeignKey(
        Series,
        verbose_name=_("系列"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contests",
    )
    title = models.CharField(_("名称"), max_length=160)
    date = models.DateField(_("日期"))
    venue = models.CharField(_("地点"), max_length=160, blank=True)
    level = models.CharField(
        _("层级"), max_length=8, choices=ContestLevel.choices, default=ContestLevel.COUNTY
    )
    owner = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="arena_contests"
    )
    description = models.TextField(_("说明"), blank=True)
    # Aggregation rules (saima.engine.judging.Rules).
    method = models.CharField(
        _("正式计分方法"), max_length=14, choices=Method.choices, default=Method.TRIMMED
    )
    trim = models.PositiveSmallIntegerField(
        _("去掉最高、最低分各几个"), default=1, help_text=_("仅用于“去掉最高分和最低分”")
    )
    min_kept = models.PositiveSmallIntegerField(
        _("至少保留几个分数"), default=3, help_text=_("评委太少时少去掉几个，至少保留这么多")
    )
    tiebreak = models.CharField(
        _("同分时比较的评分项"),
        max_length=40,
        blank=True,
        help_text=_("评分项代码；留空则直接比较满分个数"),
    )
    outlier_below = models.FloatField(
        _("离群评委阈值（Spearman）"),
        default=0.0,
        help_text=_("评委与其他评委排序的相关系数低于此值时提示复核"),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("每人陈述时长（分钟）"), default=8)
    order_mode = models.CharField(
        _("出场顺序"), max_length=6, choices=OrderMode.choices, default=OrderMode.DRAW
    )
    draw_seed = models.BigIntegerField(_("抽签种子"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.DRAFT
    )
    released = models.BooleanField(_("已向社会公布"), default=False)
    released_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    # What the board shows now: the contestant on stage and the speaker timer.
    current = models.ForeignKey(
        "Contestant",
        verbose_name=_("当前选手"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timer_state = models.CharField(
        max_length=8, choices=TimerState.choices, default=TimerState.IDLE
    )
    timer_started_at = models.DateTimeField(null=True, blank=True)  # running since
    timer_elapsed = models.FloatField(default=0.0)  # seconds run before timer_started_at
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("擂台赛")
        verbose_name_plural = _("擂台赛")
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(released=False) | Q(status="revealed"),
                name="arena_contest_release_after_reveal",
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=1), name="arena_contest_slot"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One line of the rubric: a maximum in points and a relative weight."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    maximum = models.DecimalField(_("满分"), max_digits=6, decimal_places=2)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["contest", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="arena_criterion_code"),
            models.CheckConstraint(condition=Q(maximum__gt=0), name="arena_criterion_max"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="arena_criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class Contestant(models.Model):
    """A unit on stage (a department head presenting): its topic, order and scoring state."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="contestants")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="arena_entries"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("陈述人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arena_entries",
    )
    topic = models.CharField(_("陈述主题"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("出场顺序"), null=True, blank=True)
    scoring = models.CharField(
        _("评分状态"), max_length=8, choices=ScoringState.choices, default=ScoringState.WAITING
    )
    scoring_opened_at = models.DateTimeField(null=True, blank=True)
    scoring_closed_at = models.DateTimeField(null=True, blank=True)
    # Copied from the frozen result at reveal (``ContestResult.outputs`` is the record).
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    final_score = models.FloatField(_("得分"), null=True, blank=True)

    class Meta:
        verbose_name = _("参赛单位")
        verbose_name_plural = _("参赛单位")
        ordering = ["contest", "position", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "unit"], name="arena_contestant_unit"),
            models.UniqueConstraint(
                fields=["contest", "position"],
                condition=Q(position__isnull=False),
                name="arena_contestant_position",
            ),
        ]

    def __str__(self) -> str:
        return self.unit.name


class PledgeItem(models.Model):
    """One measurable item of a contestant's pledge (军令状), and later what was delivered."""

    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="pledges")
    item = models.CharField(_("承诺事项"), max_length=200)
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    measure = models.CharField(_("计量单位"), max_length=20, blank=True)
    due = models.DateField(_("完成时限"), null=True, blank=True)
    delivered = models.DecimalField(
        _("实际完成"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    delivered_note = models.CharField(_("完成情况说明"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("军令状事项")
        verbose_name_plural = _("军令状事项")
        ordering = ["contestant", "position", "pk"]

    def __str__(self) -> str:
        return self.item


class Panel(models.Model):
    """A group of judges whose figure is weighted (临水：县领导 60%，其他参会人员 40%)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="panels")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评委组")
        verbose_name_plural = _("评委组")
        ordering = ["contest", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="arena_panel_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="arena_panel_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class JudgeSeat(models.Model):
    """A judge's seat at one contest: who, from which unit (own-unit conflicts), on which panel."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="seats")
    panel = models.ForeignKey(
        Panel, verbose_name=_("评委组"), on_delete=models.PROTECT, related_name="seats"
    )
    name = models.CharField(_("姓名"), max_length=60)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="arena_seats"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arena_seats",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="arena_seats",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["contest", "panel__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "person"],
                condition=Q(person__isnull=False),
                name="arena_seat_person",
            ),
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=Q(user__isnull=False),
                name="arena_seat_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JudgeLink(models.Model):
    """A password-less way in for one judge at one contest: ``/arena/j/<token>/``.

    Only the token's SHA-256 is stored (the token is a 128-bit random secret, shown once and
    printed on the QR sheet). A link expires at ``expires_at`` and can be revoked; at most one
    live (unrevoked) link per seat."""

    seat = models.ForeignKey(JudgeSeat, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("失效时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("评委链接")
        verbose_name_plural = _("评委链接")
        ordering = ["seat", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"], condition=Q(revoked_at__isnull=True), name="arena_link_one_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat} · {self.created_at:%Y-%m-%d %H:%M}"


class Conflict(models.Model):
    """A conflict of interest a judge declared with a contestant (回避). Own-unit conflicts are
    derived from the seat's unit, never stored."""

    seat = models.ForeignKey(JudgeSeat, on_delete=models.CASCADE, related_name="conflicts")
    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("回避理由"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [
            models.UniqueConstraint(fields=["seat", "contestant"], name="arena_conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seat} × {self.contestant}"


class Score(models.Model):
    """The live score of one judge for one contestant on one criterion (one row, by constraint)."""

    seat = models.ForeignKey(JudgeSeat, on_delete=models.PROTECT, related_name="scores")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("分数"), max_digits=6, decimal_places=2)
    version = models.PositiveIntegerField(default=1)
    amended = models.PositiveIntegerField(default=0)
    first_submitted_at = models.DateTimeField()
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "contestant", "criterion"], name="arena_score_one_live"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="arena_score_nonnegative"),
        ]
        indexes = [models.Index(fields=["contestant", "seat"], name="arena_score_sheet")]

    def __str__(self) -> str:
        return f"{self.seat_id}/{self.contestant_id}/{self.criterion_id}={self.value}"


class ScoreRevision(models.Model):
    """Every value a score has had (per submission, with its version and where it came from)."""

    class Via(models.TextChoices):
        LINK = "link", _("评委链接")
        LOGIN = "login", _("登录账号")
        HOST = "host", _("主持人代录")

    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=6, decimal_places=2)
    submitted_at = models.DateTimeField()
    via = models.CharField(max_length=6, choices=Via.choices, default=Via.LINK)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("评分记录")
        verbose_name_plural = _("评分记录")
        ordering = ["score", "version"]
        constraints = [
            models.UniqueConstraint(fields=["score", "version"], name="arena_revision_version"),
        ]

    def __str__(self) -> str:
        return f"{self.score_id} v{self.version}"


class ContestResult(models.Model):
    """The contest's result, frozen at reveal: the engine's inputs and outputs and the digest."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="results")
    version = models.PositiveSmallIntegerField(default=1)
    method = models.CharField(max_length=14, choices=Method.choices)
    engine_version = models.CharField(max_length=20)
    inputs = models.JSONField()
    outputs = models.JSONField()
    digest = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("擂台赛结果")
        verbose_name_plural = _("擂台赛结果")
        ordering = ["contest", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "version"], name="arena_result_version"),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · v{self.version}"
