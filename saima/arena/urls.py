from django.urls import path

from saima.arena import views

app_name = "arena"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.contest_new, name="contest_new"),
    path("series/new/", views.series_new, name="series_new"),
    path("scoring/", views.my_scoring, name="my_scoring"),
    path("j/<str:token>/", views.judge, name="judge"),
    path("j/<str:token>/state/", views.judge_state_view, name="judge_state"),
    path("j/<str:token>/score/", views.judge_submit, name="judge_submit"),
    path("pledges/<int:pledge_pk>/deliver/", views.pledge_deliver, name="pledge_deliver"),
    path("pledges/<int:pledge_pk>/delete/", views.pledge_delete, name="pledge_delete"),
    path("<int:pk>/", views.contest_detail, name="contest"),
    path("<int:pk>/edit/", views.contest_edit, name="contest_edit"),
    path("<int:pk>/do/<slug:action>/", views.contest_action, name="contest_action"),
    path("<int:pk>/order/", views.order_fix, name="order_fix"),
    path("<int:pk>/add/<slug:kind>/", views.part_edit, name="part_add"),
    path("<int:pk>/edit/<slug:kind>/<int:obj_pk>/", views.part_edit, name="part_edit"),
    path("<int:pk>/delete/<slug:kind>/<int:obj_pk>/", views.part_delete, name="part_delete"),
    path("<int:pk>/contestants/<int:cid>/", views.contestant_detail, name="contestant"),
    path("<int:pk>/judges/", views.judges, name="judges"),
    path("<int:pk>/judges/<int:seat_pk>/link/", views.link_issue, name="link_issue"),
    path("<int:pk>/links/<int:link_pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("<int:pk>/judges/qr.pdf", views.qr_sheet, name="qr_sheet"),
    path("<int:pk>/judge/", views.judge_login, name="judge_login"),
    path("<int:pk>/judge/state/", views.judge_login_state, name="judge_login_state"),
    path("<int:pk>/judge/score/", views.judge_login_submit, name="judge_login_submit"),
    path("<int:pk>/results/", views.results, name="results"),
]
