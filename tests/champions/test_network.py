"""Champion network: nominations, decisions, coverage gaps, hub, directory and badges."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from champions.models import Badge, BadgeAward, Champion, ChampionStatus
from champions.selectors.network import (
    approved_champion_counts,
    coverage_gap,
    open_feedback_counts,
)
from champions.services.network import (
    Decision,
    badge_award,
    champion_decide,
    champion_nominate,
    champion_step_down,
)
from lms.models import Assignment, AuditEvent, Curriculum, CurriculumCourse, OutboxMessage
from lms.permissions import user_roles
from lms.roles import Role
from tests.champions.factories import make_champion, make_course, make_feedback, make_service
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(name="Building Permits Counter")


@pytest.fixture
def service(department):
    return make_service(name="Online building permits", departments=[department])


@pytest.fixture
def change_office():
    return make_staff(Role.CHANGE_OFFICE, user__username="change1").user


def assignments_for(user, course):
    from lms.hr.services import assignments_create

    assignments_create(users=[user], course=course)


def fresh(user):
    user.__dict__.pop("_civicskills_roles", None)
    return user


class TestSelectorsForReadiness:
    def test_approved_champion_counts_per_department(self, service, department):
        other = DepartmentFactory()
        make_champion(service=service, department=department)
        make_champion(service=service, department=department)
        make_champion(service=service, department=other)
        make_champion(service=service, department=other, status=ChampionStatus.NOMINATED)

        assert approved_champion_counts(service.pk) == {department.pk: 2, other.pk: 1}

    def test_open_feedback_counts_per_department_with_none(self, service, department):
        make_feedback(service=service, department=department)
        make_feedback(service=service, department=department, status="escalated")
        make_feedback(service=service, department=department, status="done")
        make_feedback(service=service, department=None, status="planned")

        assert open_feedback_counts(service.pk) == {department.pk: 2, None: 1}

    def test_each_is_one_query(self, service, django_assert_num_queries):
        with django_assert_num_queries(1):
            approved_champion_counts(service.pk)
        with django_assert_num_queries(1):
            open_feedback_counts(service.pk)


class TestCoverageGap:
    def test_gap_counts_affected_staff_against_the_ratio(self, department):
        service = make_service(departments=[department], staff_per_champion=2)
        for _ in range(5):
            make_staff(department=department)
        make_champion(service=service, department=department)

        gap = coverage_gap(service=service, department=department)

        # 5 staff plus the champion = 6 affected, one per 2 → 3 needed, 1 approved.
        assert (gap.affected_staff, gap.needed, gap.champions, gap.missing) == (6, 3, 1, 2)

    def test_nomination_page_says_how_many_more_champions_are_needed(self, client, department):
        service = make_service(
            name="Online building permits", departments=[department], staff_per_champion=2
        )
        staff = make_staff(department=department)
        for _ in range(3):
            make_staff(department=department)
        client.force_login(staff.user)

        response = client.get(reverse("champions:nominate"))

        assert response.status_code == 200
        assert (
            "Building Permits Counter needs 2 more champions for Online building permits."
            in response.content.decode()
        )
        assert service.name in response.content.decode()

    def test_no_gap_message_when_coverage_is_met(self, client, department, service):
        staff = make_staff(department=department)
        make_champion(user=staff.user, service=service, department=department)
        client.force_login(staff.user)

        content = client.get(reverse("champions:nominate")).content.decode()

        assert "has enough champions for Online building permits" in content
        assert "more champion" not in content


class TestNominate:
    def test_self_nomination(self, client, department, service):
        staff = make_staff(department=department)
        client.force_login(staff.user)

        response = client.post(
            reverse("champions:nominate"),
            {"nominee": staff.user.pk, "service": service.pk, "motivation": "I like it"},
        )

        assert response.status_code == 302
        champion = Champion.objects.get(user=staff.user)
        assert champion.status == ChampionStatus.NOMINATED
        assert champion.department == department
        assert champion.nominated_by == staff.user
        assert AuditEvent.objects.filter(action="champion.nominated").count() == 1

    def test_manager_nominates_a_direct_report(self, department, service):
        manager = make_staff(department=department)
        report = make_staff(department=department, manager=manager)

        champion = champion_nominate(
            user=report.user, service=service, department=department, nominated_by=manager.user
        )

        assert champion.nominated_by == manager.user

    def test_colleague_who_is_not_the_manager_is_refused(self, department, service):
        colleague = make_staff(department=department)
        other = make_staff(department=department)

        with pytest.raises(ValidationError):
            champion_nominate(
                user=other.user, service=service, department=department, nominated_by=colleague.user
            )
        assert not Champion.objects.exists()

    def test_form_offers_only_self_and_reports(self, client, department, service):
        staff = make_staff(department=department)
        stranger = make_staff(department=department)
        client.force_login(staff.user)

        response = client.post(
            reverse("champions:nominate"), {"nominee": stranger.user.pk, "service": service.pk}
        )

        assert response.status_code == 200
        assert "nominee" in response.context["form"].errors
        assert not Champion.objects.exists()

    def test_department_outside_the_persons_chain_errors_at_the_field(
        self, client, department, service
    ):
        staff = make_staff(department=department)
        elsewhere = DepartmentFactory()
        client.force_login(staff.user)

        response = client.post(
            reverse("champions:nominate"),
            {"nominee": staff.user.pk, "service": service.pk, "department": elsewhere.pk},
        )

        assert response.status_code == 200
        assert "department" in response.context["form"].errors
        assert not Champion.objects.exists()

    def test_duplicate_pending_nomination_is_refused(self, department, service):
        staff = make_staff(department=department)
        champion_nominate(
            user=staff.user, service=service, department=department, nominated_by=staff.user
        )

        with pytest.raises(ValidationError, match="already nominated"):
            champion_nominate(
                user=staff.user, service=service, department=department, nominated_by=staff.user
            )

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("champions:nominate"))

        assert response.status_code == 302
        assert "login" in response["Location"] or "sign" in response["Location"]


@pytest.fixture
def toolkit():
    curriculum = Curriculum.objects.create(name="Digital champion toolkit")
    CurriculumCourse.objects.create(
        curriculum=curriculum, course=make_course("Being a champion"), sort_order=0
    )
    return curriculum


class TestDecide:
    def test_approval_grants_role_keeps_others_assigns_curriculum_and_audits(
        self, department, service, change_office, toolkit
    ):
        staff = make_staff(Role.LINE_MANAGER, department=department)
        champion = champion_nominate(
            user=staff.user, service=service, department=department, nominated_by=staff.user
        )

        result = champion_decide(
            champion=champion, decision=Decision.APPROVE, reason="Great fit", actor=change_office
        )

        assert result.curriculum_assigned is True
        champion.refresh_from_db()
        assert champion.status == ChampionStatus.APPROVED
        assert champion.decided_by == change_office
        roles = user_roles(fresh(staff.user))
        assert Role.CHAMPION in roles and Role.LINE_MANAGER in roles
        assert Assignment.objects.filter(user=staff.user, curriculum=toolkit).count() == 1
        event = AuditEvent.objects.get(action="champion.approved")
        assert event.actor == change_office
        assert event.target_id == str(champion.pk)
        assert OutboxMessage.objects.filter(
            task_name="champions.tasks.champion_decision_notify"
        ).exists()

    def test_curriculum_name_is_a_setting(self, department, service, change_office, settings):
        other = Curriculum.objects.create(name="Champion basics")
        CurriculumCourse.objects.create(curriculum=other, course=make_course("Basics"))
        settings.CHAMPION_CURRICULUM = "Champion basics"
        staff = make_staff(department=department)
        champion = make_champion(
            user=staff.user, service=service, department=department, status="nominated"
        )

        champion_decide(champion=champion, decision=Decision.APPROVE, actor=change_office)

        assert Assignment.objects.filter(user=staff.user, curriculum=other).exists()

    def test_decline_needs_a_reason_and_grants_nothing(
        self, department, service, change_office, toolkit
    ):
        staff = make_staff(department=department)
        champion = make_champion(
            user=staff.user, service=service, department=department, status="nominated"
        )

        with pytest.raises(ValidationError):
            champion_decide(champion=champion, decision=Decision.DECLINE, actor=change_office)
        champion_decide(
            champion=champion,
            decision=Decision.DECLINE,
            reason="Enough champions here",
            actor=change_office,
        )

        champion.refresh_from_db()
        assert champion.status == ChampionStatus.DECLINED
        assert champion.decision_reason == "Enough champions here"
        assert Role.CHAMPION not in user_roles(fresh(staff.user))
        assert not Assignment.objects.filter(user=staff.user).exists()
        assert AuditEvent.objects.filter(action="champion.declined").exists()

    def test_decided_nomination_cannot_be_decided_again(self, department, service, change_office):
        champion = make_champion(service=service, department=department, status="nominated")
        champion_decide(champion=champion, decision=Decision.APPROVE, actor=change_office)

        with pytest.raises(ValidationError, match="already been decided"):
            champion_decide(
                champion=champion, decision=Decision.DECLINE, reason="x", actor=change_office
            )

    def test_decision_e_mail_goes_to_the_nominee(
        self, department, service, change_office, mailoutbox, django_capture_on_commit_callbacks
    ):
        champion = make_champion(service=service, department=department, status="nominated")

        with django_capture_on_commit_callbacks(execute=True):
            champion_decide(
                champion=champion, decision=Decision.DECLINE, reason="Not now", actor=change_office
            )

        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == [champion.user.email]
        assert "Not now" in mailoutbox[0].body

    def test_decide_view_approves(self, client, department, service, change_office, toolkit):
        champion = make_champion(service=service, department=department, status="nominated")
        client.force_login(change_office)

        response = client.post(
            reverse("champions:nomination_decide", args=[champion.pk]),
            {"decision": "approve", "reason": ""},
        )

        assert response.status_code == 302
        champion.refresh_from_db()
        assert champion.status == ChampionStatus.APPROVED

    def test_decline_without_reason_errors_at_the_field(
        self, client, department, service, change_office
    ):
        champion = make_champion(service=service, department=department, status="nominated")
        client.force_login(change_office)

        response = client.post(
            reverse("champions:nomination_decide", args=[champion.pk]),
            {"decision": "decline", "reason": ""},
        )

        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        champion.refresh_from_db()
        assert champion.status == ChampionStatus.NOMINATED

    def test_step_down_removes_the_role_and_mentees(self, department, service, change_office):
        champion = make_champion(service=service, department=department)
        mentee = make_staff(department=department).user
        from champions.services.mentoring import mentorship_add

        mentorship_add(champion=champion, mentee=mentee, actor=champion.user)

        champion_step_down(champion=champion, actor=change_office, reason="Moved team")

        champion.refresh_from_db()
        assert champion.status == ChampionStatus.STEPPED_DOWN
        assert not champion.mentorships.exists()
        assert Role.CHAMPION not in user_roles(fresh(champion.user))


class TestNominationsList:
    def test_learner_is_forbidden(self, learner_client):
        assert learner_client.get(reverse("champions:nominations")).status_code == 403

    def test_champion_is_forbidden(self, client, service):
        champion = make_champion(service=service)
        client.force_login(champion.user)

        assert client.get(reverse("champions:nominations")).status_code == 403
        response = client.post(
            reverse("champions:nomination_decide", args=[champion.pk]), {"decision": "approve"}
        )
        assert response.status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(reverse("champions:nominations")).status_code == 302

    def test_filters_by_status_and_department(self, client, service, department, change_office):
        other = DepartmentFactory()
        pending = make_champion(service=service, department=department, status="nominated")
        make_champion(service=service, department=other, status="nominated")
        make_champion(service=service, department=department)
        client.force_login(change_office)

        response = client.get(
            reverse("champions:nominations"), {"status": "nominated", "department": department.pk}
        )

        assert [c.pk for c in response.context["page"]] == [pending.pk]

    def test_query_budget_at_two_sizes(
        self, client, service, department, change_office, django_assert_max_num_queries
    ):
        client.force_login(change_office)
        url = reverse("champions:nominations")
        for size in (2, 12):
            while Champion.objects.count() < size:
                make_champion(service=service, department=department, status="nominated")
            with django_assert_max_num_queries(14):
                response = client.get(url)
            assert len(response.context["page"]) == size


class TestDirectory:
    def test_any_staff_sees_approved_champions_filtered_by_department(
        self, client, service, department
    ):
        other = DepartmentFactory()
        here = make_champion(service=service, department=department)
        make_champion(service=service, department=other)
        make_champion(service=service, department=department, status="nominated")
        client.force_login(make_staff().user)

        response = client.get(reverse("champions:directory"), {"department": department.pk})

        assert response.status_code == 200
        assert [c.pk for c in response.context["page"]] == [here.pk]

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(reverse("champions:directory")).status_code == 302

    def test_query_budget_at_two_sizes(
        self, learner_client, service, department, django_assert_max_num_queries
    ):
        url = reverse("champions:directory")
        for size in (2, 12):
            while Champion.objects.count() < size:
                make_champion(service=service, department=department)
            with django_assert_max_num_queries(14):
                response = learner_client.get(url)
            assert len(response.context["page"]) == size


class TestHub:
    def test_only_champions_may_open_it(self, client, learner, service):
        assert client.get(reverse("champions:hub")).status_code == 302
        client.force_login(learner)
        assert client.get(reverse("champions:hub")).status_code == 403

    def test_hub_shows_services_and_routed_questions(self, client, service, department):
        champion = make_champion(service=service, department=department)
        make_feedback(service=service, department=department, title="Where is the scanner?")
        make_feedback(service=make_service(), department=department, title="Other service")
        client.force_login(champion.user)

        content = client.get(reverse("champions:hub")).content.decode()

        assert "Online building permits" in content
        assert "Where is the scanner?" in content
        assert "Other service" not in content

    def test_query_budget_at_two_sizes(
        self, client, service, department, django_assert_max_num_queries
    ):
        from champions.services.mentoring import mentorship_add
        from tests.champions.factories import make_office_hours

        champion = make_champion(service=service, department=department)
        client.force_login(champion.user)
        url = reverse("champions:hub")
        for size in (1, 6):
            while champion.mentorships.count() < size:
                mentee = make_staff(department=department).user
                mentorship_add(champion=champion, mentee=mentee, actor=champion.user)
                make_feedback(service=service, department=department)
                make_office_hours(champion=champion)
            with django_assert_max_num_queries(19):
                response = client.get(url)
            assert len(response.context["mentees"]) == size

    def test_query_count_does_not_grow_with_the_data(self, client, department):
        """More championships, mentees, drop-ins, bookings, questions, sessions and badges:
        the same number of queries (routing used to read the department tree once per
        championship)."""
        import datetime as dt

        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from champions.services.mentoring import mentoring_session_log, mentorship_add
        from tests.champions.factories import make_office_hours

        course = make_course("Online permits basics")
        service = make_service(departments=[department], required_courses=[course])
        champion = make_champion(service=service, department=department)
        client.force_login(champion.user)
        url = reverse("champions:hub")

        def grow(championship, count):
            for _ in range(count):
                mentee = make_staff(department=championship.department).user
                mentorship_add(champion=championship, mentee=mentee, actor=champion.user)
                assignments_for(mentee, course)
                mentoring_session_log(
                    champion=championship,
                    held_on=timezone.localdate() - dt.timedelta(days=1),
                    duration_minutes=30,
                    topic="The new form",
                    attendees=[mentee],
                )
                session = make_office_hours(champion=championship, capacity=5)
                session.bookings.create(user=mentee)
                make_feedback(service=championship.service, department=championship.department)
            badge = Badge.objects.create(name=f"Badge {Badge.objects.count() + 1}")
            BadgeAward.objects.create(badge=badge, user=champion.user, reason="Thanks")

        grow(champion, 1)
        counts = []
        for _ in range(2):
            for _warm_up in range(2):  # the site's own caches fill over the first requests
                client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            counts.append(len(queries))
            second = make_champion(
                user=champion.user, service=make_service(departments=[DepartmentFactory()])
            )
            grow(champion, 3)
            grow(second, 3)

        assert response.status_code == 200
        assert len(response.context["championships"]) == 2
        assert counts[0] == counts[1], counts

    def test_hub_shows_what_it_counts(self, client, service, department):
        """Activity figures: sessions held, drop-ins offered, people helped once each (a
        mentee who attended twice and booked a drop-in is one person), questions answered."""
        import datetime as dt

        from django.utils import timezone

        from champions.services.feedback import feedback_answer
        from champions.services.mentoring import (
            mentoring_session_log,
            mentorship_add,
            office_hours_book,
        )
        from tests.champions.factories import make_office_hours

        champion = make_champion(service=service, department=department)
        mentee = make_staff(department=department).user
        walk_in = make_staff(department=department).user
        mentorship_add(champion=champion, mentee=mentee, actor=champion.user)
        for days in (1, 2):
            mentoring_session_log(
                champion=champion,
                held_on=timezone.localdate() - dt.timedelta(days=days),
                duration_minutes=30,
                topic="The new form",
                attendees=[mentee],
            )
        drop_in = make_office_hours(champion=champion, capacity=5)
        office_hours_book(office_hours_id=drop_in.pk, user=mentee)
        office_hours_book(office_hours_id=drop_in.pk, user=walk_in)
        make_office_hours(champion=champion, days_ahead=3)
        question = make_feedback(service=service, department=department)
        feedback_answer(feedback=question, actor=champion.user, answer="Use the A3 scanner.")
        make_feedback(service=service, department=department)  # still open
        other = make_champion(service=service, department=department)
        make_office_hours(champion=other)  # someone else's
        client.force_login(champion.user)

        activity = client.get(reverse("champions:hub")).context["activity"]

        assert (
            activity.sessions_held,
            activity.office_hours_held,
            activity.people_helped,
            activity.questions_answered,
        ) == (2, 2, 2, 1)


class TestBadges:
    def test_change_office_awards_a_badge_from_the_staff_site(
        self, client, service, department, change_office
    ):
        champion = make_champion(service=service, department=department)
        badge = Badge.objects.create(name="Top mentor")
        client.force_login(change_office)

        response = client.post(
            reverse("champions:award_badge"),
            {"user": champion.user.pk, "badge": badge.pk, "reason": "Ten sessions"},
        )

        assert response.status_code == 302
        award = BadgeAward.objects.get()
        assert (award.user, award.awarded_by) == (champion.user, change_office)
        assert AuditEvent.objects.filter(action="champion.badge_awarded").exists()

    def test_badges_are_for_approved_champions_only(self, department, change_office):
        badge = Badge.objects.create(name="Top mentor")
        staff = make_staff(department=department).user

        with pytest.raises(ValidationError):
            badge_award(badge=badge, user=staff, reason="x", actor=change_office)

    def test_same_badge_twice_is_refused(self, service, change_office):
        champion = make_champion(service=service)
        badge = Badge.objects.create(name="Top mentor")
        badge_award(badge=badge, user=champion.user, reason="One", actor=change_office)

        with pytest.raises(ValidationError):
            badge_award(badge=badge, user=champion.user, reason="Two", actor=change_office)

    def test_champion_cannot_award(self, client, service):
        champion = make_champion(service=service)
        client.force_login(champion.user)

        assert client.get(reverse("champions:award_badge")).status_code == 403

    def test_hub_shows_activity_and_badges(self, client, service, change_office):
        champion = make_champion(service=service)
        badge = Badge.objects.create(name="Top mentor")
        badge_award(badge=badge, user=champion.user, reason="Ten sessions", actor=change_office)
        client.force_login(champion.user)

        response = client.get(reverse("champions:hub"))

        assert response.context["activity"].badges[0].badge == badge
        assert "Top mentor" in response.content.decode()
