"""reminder policies and notifications

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.String(length=60), nullable=False),
    sa.Column('on_due_date', sa.Boolean(), nullable=False),
    sa.Column('overdue_every_days', sa.Integer(), nullable=False),
    sa.Column('escalate_secretary_days', sa.Integer(), nullable=False),
    sa.Column('escalate_chair_days', sa.Integer(), nullable=False),
    sa.Column('blocked_days', sa.Integer(), nullable=False),
    sa.Column('request_days_before', sa.Integer(), nullable=False),
    sa.Column('chaser_working_days', sa.Integer(), nullable=False),
    sa.Column('digest_weekday', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_reminder_policies_board_id_boards')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_reminder_policies_updated_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_policies')),
    sa.UniqueConstraint('board_id', name=op.f('uq_reminder_policies_board_id'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('key_on', sa.Date(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=60), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_notifications_action_id_actions')),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_notifications_board_id_boards')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_notifications_outbox_message_id_outbox_messages')),
    sa.ForeignKeyConstraint(['recipient_id'], ['people.id'], name=op.f('fk_notifications_recipient_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('kind', 'subject_id', 'recipient_id', 'key_on', 'period', name=op.f('uq_notifications_kind_subject_id_recipient_id_key_on_period'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_outbox_message_id'), ['outbox_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index('ix_notifications_waiting', ['send_on'], unique=False, postgresql_where=sa.text("state = 'waiting'"), sqlite_where=sa.text("state = 'waiting'"))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_waiting', postgresql_where=sa.text("state = 'waiting'"), sqlite_where=sa.text("state = 'waiting'"))
        batch_op.drop_index(batch_op.f('ix_notifications_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_outbox_message_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_board_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_action_id'))

    op.drop_table('notifications')
    op.drop_table('reminder_policies')
