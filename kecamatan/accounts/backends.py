"""The login backend: Django's own, loading with each request's user the region it is limited
to (if any) and its role groups, in one query, so checking either costs no query of its own."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from ..models import Region, UserRegion


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_scope_and_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_with_scope_and_roles(user_id):
    """The user, its scope (UserRegion with its Region, or none) and its role group names (kept
    as `_ikd_roles`, see access.user_roles), or None. Every page runs this: written as one
    statement, it costs a fifth of the two ORM queries it replaces (most of their time was
    spent building the SQL, not running it)."""
    user_model = get_user_model()
    sql, user_fields, region_fields = _user_sql()
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 — a session holding something else is no user
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    user = user_model.from_db(connection.alias, user_fields, first[: len(user_fields)])
    region_values = first[len(user_fields) : -1]
    scope_rel = user_model._meta.get_field("scope")
    if region_values[0] is None:
        scope_rel.set_cached_value(user, None)  # no query to find there is none
    else:
        region = Region.from_db(connection.alias, region_fields, region_values)
        scope = UserRegion(user=user, region=region)
        scope._state.adding, scope._state.db = False, connection.alias
        scope_rel.set_cached_value(user, scope)
    user._ikd_roles = frozenset(row[-1] for row in rows if row[-1] is not None)
    return user


@cache
def _user_sql() -> tuple[str, list[str], list[str]]:
    """The statement, and the fields its user columns and its region columns are for."""
    user_model = get_user_model()
    user_fields = user_model._meta.concrete_fields
    region_fields = Region._meta.concrete_fields
    columns = [f"u.{f.column}" for f in user_fields] + [f"r.{f.column}" for f in region_fields]
    sql = (
        f"SELECT {', '.join(columns)}, g.name "
        f"FROM {user_model._meta.db_table} u "
        f"LEFT JOIN {UserRegion._meta.db_table} s ON s.user_id = u.id "
        f"LEFT JOIN {Region._meta.db_table} r ON r.code = s.region_id "
        f"LEFT JOIN {user_model.groups.through._meta.db_table} m ON m.user_id = u.id "
        f"LEFT JOIN {Group._meta.db_table} g ON g.id = m.group_id "
        "WHERE u.id = %s"
    )
    return sql, [f.attname for f in user_fields], [f.attname for f in region_fields]
