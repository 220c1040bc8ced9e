from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrUsernameBackend(ModelBackend):
    """Sign in with either the username or the e-mail address.

    Leavers cannot sign in: leaving sets ``user.is_active = False`` and ModelBackend refuses
    inactive users.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        candidates = list(
            user_model._default_manager.filter(
                Q(username__iexact=username) | Q(email__iexact=username)
            )[:2]
        )
        if len(candidates) != 1:
            # Unknown, or an e-mail shared by two accounts: run the hasher anyway so response
            # time does not reveal which usernames exist.
            user_model().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
