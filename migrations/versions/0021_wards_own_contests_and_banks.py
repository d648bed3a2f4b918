"""Many wards, one deployment: contests and banks belong to an owning unit; a ward sits under a city

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 17:00:00

An existing single-ward database becomes one ward under a default city without losing anything: the top units
(offices, centres, residential groups with no parent) are placed under a new ward unit, the ward under a new
city unit, and every contest and bank is owned by the ward. Organisers keep seeing everything (they have no
unit, so they are the city's organisers); unit managers keep their units.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

CITY_CODE, CITY_NAME = "THANHPHO", "Thành phố"
WARD_CODE, WARD_NAME = "PHUONG", "Phường"


def _free_code(conn, code: str) -> str:
    taken = {row[0] for row in conn.execute(sa.text("SELECT code FROM units"))}
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}{n}"
    return candidate


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to add a constraint: other tables' keys must not be checked meanwhile."""
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('contests') as batch:
        batch.add_column(sa.Column('owner_unit_id', sa.Integer(), nullable=True))
        batch.create_index('ix_contests_owner_unit_id', ['owner_unit_id'])
        batch.create_foreign_key('fk_contests_owner_unit_id_units', 'units', ['owner_unit_id'], ['id'],
                                 ondelete='RESTRICT')
    with op.batch_alter_table('banks') as batch:
        batch.add_column(sa.Column('owner_unit_id', sa.Integer(), nullable=True))
        batch.create_index('ix_banks_owner_unit_id', ['owner_unit_id'])
        batch.create_foreign_key('fk_banks_owner_unit_id_units', 'units', ['owner_unit_id'], ['id'],
                                 ondelete='RESTRICT')
    _foreign_keys(True)

    conn = op.get_bind()
    has_data = any(conn.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first()
                   for table in ("units", "contests", "banks"))
    if not has_data:
        return  # a fresh database: the city and its wards come from the units file (or the demo)
    if conn.execute(sa.text("SELECT 1 FROM units WHERE kind = 'ward' LIMIT 1")).first():
        return
    now = datetime.now(UTC)
    units = sa.table('units', sa.column('id', sa.Integer), sa.column('code', sa.String),
                     sa.column('name', sa.String), sa.column('kind', sa.String),
                     sa.column('parent_id', sa.Integer), sa.column('created_at', sa.DateTime(timezone=True)))
    top_ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM units WHERE parent_id IS NULL"))]
    city = conn.execute(sa.text("SELECT id FROM units WHERE kind = 'city' AND parent_id IS NULL LIMIT 1")).first()
    if city is None:
        conn.execute(units.insert().values(code=_free_code(conn, CITY_CODE), name=CITY_NAME, kind='city',
                                           parent_id=None, created_at=now))
        city_id = conn.execute(sa.text("SELECT max(id) FROM units WHERE kind = 'city'")).scalar()
    else:
        city_id = city[0]
    conn.execute(units.insert().values(code=_free_code(conn, WARD_CODE), name=WARD_NAME, kind='ward',
                                       parent_id=city_id, created_at=now))
    ward_id = conn.execute(sa.text("SELECT max(id) FROM units WHERE kind = 'ward'")).scalar()
    for unit_id in top_ids:
        if unit_id != city_id:
            conn.execute(sa.text("UPDATE units SET parent_id = :ward WHERE id = :id"), {"ward": ward_id, "id": unit_id})
    conn.execute(sa.text("UPDATE contests SET owner_unit_id = :ward"), {"ward": ward_id})
    conn.execute(sa.text("UPDATE banks SET owner_unit_id = :ward"), {"ward": ward_id})


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('banks') as batch:
        batch.drop_constraint('fk_banks_owner_unit_id_units', type_='foreignkey')
        batch.drop_index('ix_banks_owner_unit_id')
        batch.drop_column('owner_unit_id')
    with op.batch_alter_table('contests') as batch:
        batch.drop_constraint('fk_contests_owner_unit_id_units', type_='foreignkey')
        batch.drop_index('ix_contests_owner_unit_id')
        batch.drop_column('owner_unit_id')
    _foreign_keys(True)
