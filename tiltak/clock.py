"""The application's date: what every rule that asks "what day is it?" asks.

In production it is the local date. The demonstration (`make run`) sets `DEMO_TODAY` to a day
inside the 2018–2020 plan, so that its history is the present and its lists have work; every
page then says so in a banner. Production never sets it."""

from django.conf import settings
from django.utils import timezone


def today():
    """`DEMO_TODAY` where the demonstration sets it, else today's local date."""
    return settings.DEMO_TODAY or timezone.localdate()


def is_demo():
    return settings.DEMO_TODAY is not None
