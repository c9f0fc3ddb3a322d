"""Django's database sessions, each stored with the user it signs in
(tiltak.models.UserSession), so that deactivating a user ends their sessions without reading
every session there is."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from tiltak.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session
