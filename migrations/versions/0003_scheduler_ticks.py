"""scheduler ticks: the scheduler's heartbeat, one row per job

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduler_ticks',
    sa.Column('job', sa.String(length=60), nullable=False),
    sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_outcome', sa.String(length=10), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=False),
    sa.Column('last_summary', sa.String(length=300), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('run_count', sa.Integer(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('job', name=op.f('pk_scheduler_ticks'))
    )


def downgrade():
    op.drop_table('scheduler_ticks')
