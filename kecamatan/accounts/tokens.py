"""API tokens that end: after API_TOKEN_DAYS, and at once when their account's password changes
or the account is deactivated (a token is a password of its own)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - dt.timedelta(days=settings.API_TOKEN_DAYS):
            raise AuthenticationFailed(
                _("Token API sudah kedaluwarsa; minta Admin membuat token baru.")
            )
        return user, token


@receiver(pre_save, sender=get_user_model(), dispatch_uid="tokens-end-with-the-password")
def _tokens_end_with_the_password(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before and (before["password"] != instance.password or not instance.is_active):
        Token.objects.filter(user_id=instance.pk).delete()
