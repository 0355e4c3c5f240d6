from django.urls import path

from saima.arena.views import judging, links, pledges, results, setup, steps

app_name = "arena"
urlpatterns = [
    path("", setup.index, name="index"),
    path("new/", setup.contest_new, name="contest_new"),
    path("series/new/", setup.series_new, name="series_new"),
    path("scoring/", judging.my_scoring, name="my_scoring"),
    path("j/<str:token>/", judging.judge, name="judge"),
    path("j/<str:token>/state/", judging.judge_state_view, name="judge_state"),
    path("j/<str:token>/score/", judging.judge_submit, name="judge_submit"),
    path("pledges/<int:pledge_pk>/deliver/", pledges.pledge_deliver, name="pledge_deliver"),
    path("pledges/<int:pledge_pk>/delete/", pledges.pledge_delete, name="pledge_delete"),
    path("<int:pk>/", setup.contest_detail, name="contest"),
    path("<int:pk>/edit/", setup.contest_edit, name="contest_edit"),
    path("<int:pk>/do/<slug:action>/", steps.contest_action, name="contest_action"),
    path("<int:pk>/order/", setup.order_fix, name="order_fix"),
    path("<int:pk>/add/<slug:kind>/", setup.part_edit, name="part_add"),
    path("<int:pk>/edit/<slug:kind>/<int:obj_pk>/", setup.part_edit, name="part_edit"),
    path("<int:pk>/delete/<slug:kind>/<int:obj_pk>/", setup.part_delete, name="part_delete"),
    path("<int:pk>/contestants/<int:cid>/", pledges.contestant_detail, name="contestant"),
    path("<int:pk>/judges/", links.judges, name="judges"),
    path("<int:pk>/judges/<int:seat_pk>/link/", links.link_issue, name="link_issue"),
    path("<int:pk>/links/<int:link_pk>/revoke/", links.link_revoke, name="link_revoke"),
    path("<int:pk>/judges/qr.pdf", links.qr_sheet, name="qr_sheet"),
    path("<int:pk>/judge/", judging.judge_login, name="judge_login"),
    path("<int:pk>/judge/state/", judging.judge_login_state, name="judge_login_state"),
    path("<int:pk>/judge/score/", judging.judge_login_submit, name="judge_login_submit"),
    path("<int:pk>/results/", results.results, name="results"),
]
