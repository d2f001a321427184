from tracker.actions.services import fire_transition
from tracker.actions.updates import submit_update


def test_action_walks_its_workflow(make_action, make_person, make_board):
    sec = make_person()
    board = make_board(members=[(sec, "secretary")])
    action = make_action(board, status="in_progress")
    update = submit_update(action.owner, action, narrative="Done half", progress=50, channel="web")
    assert update.state == "submitted"
    fire_transition(sec, action, "block", {"comment": "Waiting"})
    assert action.status == "blocked"
    assert action.status_reason == "Waiting"
