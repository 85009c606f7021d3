"""Follow-up links already sent to citizens keep working: the shared signed_token gives the same tokens as
the HMAC the cases and events apps computed before, and refuses anything else."""

import base64
import hashlib
import hmac

from django.conf import settings

from lianxin.cases.codes import follow_up_token, token_matches
from lianxin.events.codes import signup_token, signup_token_matches


def _old(purpose: str, code: str) -> str:
    digest = hmac.new(settings.FIELD_HASH_KEY.encode(), f"{purpose}:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)[:24].decode()


def test_tokens_match_the_previous_formula():
    assert follow_up_token("LXABCDEFGH") == _old("follow-up", "LXABCDEFGH")
    assert signup_token("HDABCDEFGH") == _old("event-signup", "HDABCDEFGH")


def test_tokens_are_checked_strictly():
    token = follow_up_token("LXABCDEFGH")
    assert token_matches("LXABCDEFGH", token)
    assert not token_matches("LXABCDEFGJ", token)
    assert not token_matches("LXABCDEFGH", None)
    assert not token_matches("LXABCDEFGH", 123)
    # a case token is not an event token, even for the same code
    assert not signup_token_matches("LXABCDEFGH", token)
    assert not signup_token_matches("X" * 21, signup_token("X" * 21))


def test_any_string_is_a_wrong_token_never_an_error():
    from lianxin.duty.codes import check_in_token_valid, feed_token_valid
    from lianxin.privacy import same_token

    for odd in ["é", "令牌", "\x00", "\ud800", "a" * 5000, ""]:
        assert not token_matches("LXABCDEFGH", odd)
        assert not signup_token_matches("HDABCDEFGH", odd)
        assert not check_in_token_valid("S001", odd)
        assert not feed_token_valid("D001", odd)
        assert not same_token("abc", odd)
    assert same_token("é", "é")
