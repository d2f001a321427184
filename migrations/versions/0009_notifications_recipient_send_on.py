"""an index for the sweep's one-email-a-day check

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 12:40:00

Before composing, the sweep asks for every waiting reminder whether its recipient already had
today's email (a reminder sent on that day). A partial index on the sent reminders, by recipient
and day, answers each question with one probe; without it, each read all that person's reminders.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SENT = sa.text("state = 'sent'")


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_recipient_send_on', ['recipient_id', 'send_on'], unique=False, postgresql_where=SENT, sqlite_where=SENT)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_send_on', postgresql_where=SENT, sqlite_where=SENT)
