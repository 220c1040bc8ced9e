"""The feedback loop: raising items (anonymously too), routing, answers, statuses, pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from champions.models import Feedback, FeedbackKind, FeedbackStatus
from champions.services.feedback import (
    feedback_answer,
    feedback_create,
    feedback_escalate,
    feedback_set_status,
)
from lms.models import AuditEvent, OutboxMessage
from lms.roles import Role
from tests.champions.factories import make_champion, make_feedback, make_service
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(name="Building Permits Counter")


@pytest.fixture
def service(department):
    return make_service(name="Online building permits", departments=[department])


@pytest.fixture
def champion(service, department):
    return make_champion(service=service, department=department)


@pytest.fixture
def change_office():
    return make_staff(Role.CHANGE_OFFICE, user__username="change1").user


@pytest.fixture
def author(department):
    return make_staff(department=department, user__email="author@example.gov").user


def raise_item(author, service, department, *, anonymous=False, **kwargs):
    return feedback_create(
        user=author,
        service=service,
        department=department,
        kind=kwargs.pop("kind", FeedbackKind.QUESTION),
        title=kwargs.pop("title", "Can I upload scanned plans?"),
        body=kwargs.pop("body", "Our scanner makes huge files."),
        anonymous=anonymous,
    )


class TestCreate:
    def test_named_item_is_linked_to_the_author_and_audited(self, author, service, department):
        item = raise_item(author, service, department)

        assert item.author == author
        assert item.status == FeedbackStatus.NEW
        assert AuditEvent.objects.filter(action="feedback.created", actor=author).count() == 1

    def test_anonymous_item_stores_no_identity(
        self,
        client,
        author,
        champion,
        service,
        department,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        client.force_login(author)
        before = AuditEvent.objects.count()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("champions:feedback_create"),
                {
                    "service": service.pk,
                    "kind": FeedbackKind.CONCERN,
                    "title": "Too little time to train",
                    "body": "We were told a week before.",
                    "department": department.pk,
                    "anonymous": "on",
                },
            )

        assert response.status_code == 302
        item = Feedback.objects.get()
        assert item.author_id is None
        local = timezone.localtime(item.created_at)
        assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
        assert item.updated_at == item.created_at
        # No audit row at all, so nothing names the author.
        assert AuditEvent.objects.count() == before
        row = Feedback.objects.filter(pk=item.pk).values().get()
        values = " ".join(str(v) for v in row.values())
        assert author.username not in values and author.email not in values
        # The champions are told, without the author's name or address.
        messages = OutboxMessage.objects.filter(task_name__startswith="champions.tasks.feedback")
        assert [m.task_name for m in messages] == ["champions.tasks.feedback_notify_champions"]
        assert [m.kwargs for m in messages] == [{"feedback_id": item.pk}]
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == [champion.user.email]
        mail_text = mailoutbox[0].subject + mailoutbox[0].body + str(mailoutbox[0].extra_headers)
        assert author.email not in mail_text
        assert author.get_full_name() not in mail_text
        assert author.email not in mailoutbox[0].reply_to
        # It is not on the author's own list either.
        assert list(client.get(reverse("champions:feedback_mine")).context["page"]) == []

    def test_anonymous_item_gets_no_author_e_mail_on_answer(
        self,
        author,
        champion,
        service,
        department,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        item = raise_item(author, service, department, anonymous=True)
        mailoutbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            feedback_answer(feedback=item, actor=champion.user, answer="Yes, up to 50 MB.")

        assert mailoutbox == []
        assert not OutboxMessage.objects.filter(
            task_name="champions.tasks.feedback_notify_author"
        ).exists()

    def test_blank_title_errors_at_the_field(self, client, author, service, department):
        client.force_login(author)

        response = client.post(
            reverse("champions:feedback_create"),
            {
                "service": service.pk,
                "kind": FeedbackKind.IDEA,
                "title": "",
                "body": "x",
                "department": department.pk,
            },
        )

        assert response.status_code == 200
        assert "title" in response.context["form"].errors
        assert not Feedback.objects.exists()

    def test_anonymous_visitor_is_sent_to_sign_in(self, client):
        assert client.get(reverse("champions:feedback_create")).status_code == 302


class TestRouting:
    def test_champions_of_the_department_and_service_are_e_mailed(
        self, author, champion, service, department, mailoutbox, django_capture_on_commit_callbacks
    ):
        parent = DepartmentFactory(name="Permits & Licensing")
        department.parent = parent
        department.save()
        above = make_champion(service=service, department=parent)
        make_champion(service=service, department=DepartmentFactory())  # elsewhere
        make_champion(service=make_service(departments=[department]), department=department)

        with django_capture_on_commit_callbacks(execute=True):
            raise_item(author, service, department)

        assert sorted(mailoutbox[0].to) == sorted([champion.user.email, above.user.email])
        assert Feedback.objects.get().champions_notified is True

    def test_champion_sees_only_items_routed_to_them(self, client, champion, service, department):
        mine = make_feedback(service=service, department=department)
        elsewhere = make_feedback(service=service, department=DepartmentFactory())
        other_service = make_feedback(service=make_service(), department=department)
        client.force_login(champion.user)

        assert client.get(reverse("champions:feedback_detail", args=[mine.pk])).status_code == 200
        for item in (elsewhere, other_service):
            url = reverse("champions:feedback_detail", args=[item.pk])
            assert client.get(url).status_code == 404
            answer = reverse("champions:feedback_answer", args=[item.pk])
            assert client.post(answer, {"answer": "x"}).status_code == 404
        assert Feedback.objects.filter(status=FeedbackStatus.NEW).count() == 3

    def test_learner_cannot_open_or_answer_items(self, learner_client, service, department):
        item = make_feedback(service=service, department=department)

        assert (
            learner_client.get(reverse("champions:feedback_detail", args=[item.pk])).status_code
            == 403
        )
        response = learner_client.post(
            reverse("champions:feedback_answer", args=[item.pk]), {"answer": "x"}
        )
        assert response.status_code == 403


class TestStatuses:
    def test_champion_answers_and_the_author_is_told(
        self,
        client,
        author,
        champion,
        service,
        department,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        item = raise_item(author, service, department)
        client.force_login(champion.user)
        mailoutbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("champions:feedback_answer", args=[item.pk]),
                {"answer": "Yes, up to 50 MB per file."},
            )

        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == FeedbackStatus.ANSWERED
        assert item.answered_by == champion.user
        assert item.resolved_at is not None
        assert [m.to for m in mailoutbox] == [[author.email]]

    def test_champion_escalates_then_change_office_plans_and_completes(
        self, client, author, champion, change_office, service, department
    ):
        item = raise_item(author, service, department, kind=FeedbackKind.IDEA)
        feedback_escalate(feedback=item, actor=champion.user, note="Needs the vendor")
        item.refresh_from_db()
        assert item.status == FeedbackStatus.ESCALATED

        client.force_login(change_office)
        queue = client.get(reverse("champions:feedback_queue"))
        assert [i.pk for i in queue.context["page"]] == [item.pk]

        response = client.post(
            reverse("champions:feedback_status", args=[item.pk]),
            {"status": FeedbackStatus.PLANNED, "public_answer": "Coming in release 2."},
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.status, item.resolved_at) == (FeedbackStatus.PLANNED, None)

        feedback_set_status(
            feedback=item,
            actor=change_office,
            status=FeedbackStatus.DONE,
            public_answer="Bulk upload is live.",
        )
        item.refresh_from_db()
        assert item.status == FeedbackStatus.DONE and item.resolved_at is not None

    def test_status_needs_a_public_answer(self, client, change_office, service, department):
        item = make_feedback(service=service, department=department, status="escalated")
        client.force_login(change_office)

        response = client.post(
            reverse("champions:feedback_status", args=[item.pk]),
            {"status": FeedbackStatus.WONT_DO, "public_answer": ""},
        )

        assert response.status_code == 200
        assert "public_answer" in response.context["status_form"].errors
        item.refresh_from_db()
        assert item.status == FeedbackStatus.ESCALATED

    def test_champion_cannot_set_change_office_statuses(
        self, client, champion, service, department
    ):
        item = make_feedback(service=service, department=department)
        client.force_login(champion.user)

        response = client.post(
            reverse("champions:feedback_status", args=[item.pk]),
            {"status": FeedbackStatus.DONE, "public_answer": "x"},
        )

        assert response.status_code == 403

    def test_answered_item_cannot_be_escalated(self, champion, service, department):
        item = make_feedback(service=service, department=department)
        feedback_answer(feedback=item, actor=champion.user, answer="Done")

        with pytest.raises(ValidationError):
            feedback_escalate(feedback=item, actor=champion.user)

    def test_queue_is_change_office_only(self, client, learner_client, champion):
        assert learner_client.get(reverse("champions:feedback_queue")).status_code == 403
        client.force_login(champion.user)
        assert client.get(reverse("champions:feedback_queue")).status_code == 403

    def test_queue_query_budget_at_two_sizes(
        self, client, change_office, service, department, django_assert_max_num_queries
    ):
        client.force_login(change_office)
        url = reverse("champions:feedback_queue")
        for size in (2, 12):
            while Feedback.objects.count() < size:
                make_feedback(service=service, department=department, status="escalated")
            with django_assert_max_num_queries(14):
                response = client.get(url)
            assert len(response.context["page"]) == size


class TestMine:
    def test_staff_see_only_their_own_named_items(self, client, author, service, department):
        own = raise_item(author, service, department, title="Mine")
        raise_item(author, service, department, title="Anonymous one", anonymous=True)
        other = make_staff(department=department).user
        raise_item(other, service, department, title="Someone else's")
        client.force_login(author)

        response = client.get(reverse("champions:feedback_mine"))

        assert [i.pk for i in response.context["page"]] == [own.pk]
        assert "Someone else" not in response.content.decode()

    def test_author_cannot_open_the_responder_page(self, client, author, service, department):
        item = raise_item(author, service, department)
        client.force_login(author)

        assert client.get(reverse("champions:feedback_detail", args=[item.pk])).status_code == 403

    def test_query_budget_at_two_sizes(
        self, client, author, service, department, django_assert_max_num_queries
    ):
        client.force_login(author)
        url = reverse("champions:feedback_mine")
        for size in (1, 8):
            while Feedback.objects.count() < size:
                make_feedback(service=service, department=department, author=author)
            with django_assert_max_num_queries(13):
                response = client.get(url)
            assert len(response.context["page"]) == size


class TestYouSaidWeDid:
    def test_lists_resolved_items_without_the_author(
        self, learner_client, author, service, department
    ):
        done = make_feedback(
            service=service,
            department=department,
            author=author,
            status="done",
            title="Bulk upload",
            public_answer="Now live.",
        )
        make_feedback(service=service, department=department, status="new", title="Still new")
        make_feedback(
            service=make_service(), status="done", title="Other service", public_answer="x"
        )

        response = learner_client.get(
            reverse("champions:you_said_we_did", kwargs={"slug": service.slug})
        )

        assert response.status_code == 200
        assert [i.pk for i in response.context["page"]] == [done.pk]
        content = response.content.decode()
        assert "Now live." in content and "Still new" not in content
        assert author.get_full_name() not in content and author.username not in content

    def test_unknown_service_is_404(self, learner_client):
        url = reverse("champions:you_said_we_did", kwargs={"slug": "nope"})
        assert learner_client.get(url).status_code == 404

    def test_query_budget_at_two_sizes(
        self, learner_client, service, department, django_assert_max_num_queries
    ):
        url = reverse("champions:you_said_we_did", kwargs={"slug": service.slug})
        for size in (1, 8):
            while Feedback.objects.count() < size:
                make_feedback(
                    service=service, department=department, status="done", public_answer="Done."
                )
            with django_assert_max_num_queries(13):
                response = learner_client.get(url)
            assert len(response.context["page"]) == size
