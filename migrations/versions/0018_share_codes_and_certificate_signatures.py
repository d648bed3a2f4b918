"""Contests get a share code (the short link /c/<code>) and the signature block of their certificates

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 13:40:00

Every contest, old ones included, gets a random share code (contest.sharing.codes: 8 characters of an
alphabet without look-alikes), unique. The signature block (issuer, place, signer's title and name) is
empty until the organiser sets it; certificates then use a neutral default.

The columns are added in place (a unique index, not a constraint, so that SQLite need not recreate
``contests``, which would cascade the deletion of its rounds).
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
COLUMNS = (('share_code', 16), ('certificate_issuer', 200), ('certificate_place', 80),
           ('certificate_signer_title', 200), ('certificate_signer_name', 120))


def upgrade():
    with op.batch_alter_table('contests', schema=None, recreate='never') as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    contests = sa.table('contests', sa.column('id', sa.Integer), sa.column('share_code', sa.String))
    connection = op.get_bind()
    used = set()
    for (contest_id,) in connection.execute(sa.select(contests.c.id)).all():
        code = ''.join(secrets.choice(ALPHABET) for _ in range(8))
        while code in used:
            code = ''.join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        connection.execute(contests.update().where(contests.c.id == contest_id).values(share_code=code))
    op.create_index('ix_contests_share_code', 'contests', ['share_code'], unique=True)


def downgrade():
    op.drop_index('ix_contests_share_code', table_name='contests')
    with op.batch_alter_table('contests', schema=None, recreate='never') as batch_op:
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
