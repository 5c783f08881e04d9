"""Item 2: guessing passwords stops; every login, failed or not, is in the audit log."""

from __future__ import annotations

from django.test import Client

from gongkai.web.core.models import AuditLog

from .conftest import Tree


def _login(client: Client, username: str, password: str, address: str = "127.0.0.1") -> int:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    return int(response.status_code)


def test_forty_wrong_passwords_then_the_right_one_is_not_logged_in(client: Client, tree: Tree) -> None:
    user = tree.handle.username
    statuses = [_login(client, user, f"guess-{i}") for i in range(40)]
    assert statuses[0] == 200  # the form again, with the error
    assert statuses[-1] == 429
    response = client.post("/login/", {"username": user, "password": "x"})
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode() and "分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_per_account_from_any_address(client: Client, tree: Tree) -> None:
    user = tree.handle.username
    for i in range(10):
        _login(client, user, "wrong", address=f"10.0.0.{i}")
    assert _login(Client(), user, "x", address="10.9.9.9") == 429


def test_the_lock_holds_per_address_across_accounts(client: Client, tree: Tree) -> None:
    for i in range(10):
        _login(client, f"nobody{i}", "wrong", address="192.0.2.7")
    assert _login(Client(), tree.register.username, "x", address="192.0.2.7") == 429
    assert _login(Client(), tree.register.username, "x", address="192.0.2.8") == 302


def test_failed_and_successful_logins_are_audited(client: Client, tree: Tree) -> None:
    _login(client, tree.approve.username, "wrong-password", address="198.51.100.4")
    assert _login(client, tree.approve.username, "x", address="198.51.100.4") == 302
    failed = AuditLog.objects.get(action="auth.login_failed")
    assert failed.after == {"username": tree.approve.username, "address": "198.51.100.4"}
    assert "wrong-password" not in str(failed.after)
    done = AuditLog.objects.get(action="auth.login")
    assert done.actor_id == tree.approve.pk and done.after == {"address": "198.51.100.4"}
