"""The origin service's list endpoint, rebuilt with its own framework to judge the drop-in claim from outside.

FastAPI and pydantic v2 decide every status, error body, header and date-time format here, exactly as they do in
the origin service: `agent_id` is `Query(...)`, the caller comes from a dependency with `x_user_id: str = Header(...)`
that answers 401 when it is blank, and `response_model` is the list response built from the seed's models.

The twin owns no data. Its repository reads the caller's sessions of the agent from the store under test
(STORE_URL, every page), so both services answer from the same sessions and only the behaviour of the endpoint is
compared: validation, identity, order (newest `created_at` first, as every storage of the origin lists them) and
serialisation.
"""

import os
from datetime import datetime
from typing import Literal, Optional, Union

import httpx
from fastapi import Depends, FastAPI, Header, HTTPException, Query
from pydantic import BaseModel

STORE_URL = os.environ["STORE_URL"]

Number = Union[int, float]


class ChatModelConfig(BaseModel):
    type: str
    credential_id: str
    model: str
    parameters: dict


class SessionConfig(BaseModel):
    workspace_id: str
    name: str
    chat_model_config: Optional[ChatModelConfig]
    fallback_chat_model_config: Optional[ChatModelConfig]


class ContentBlock(BaseModel):
    text: str
    type: str
    id: str


class Usage(BaseModel):
    input_tokens: int
    output_tokens: int


class ContextItem(BaseModel):
    name: str
    content: list[ContentBlock]
    id: str
    metadata: dict
    created_at: str
    finished_at: Optional[str]
    usage: Optional[Usage]


class PermissionContext(BaseModel):
    mode: Literal["default", "accept_edits", "explore", "bypass", "dont_ask"]
    working_directories: dict
    allow_rules: dict
    deny_rules: dict
    ask_rules: dict


class ReadFileCacheEntry(BaseModel):
    lines: list[str]
    updated_at: Number
    bytes: int
    file_path: str


class ToolContext(BaseModel):
    max_cache_files: int = 100
    max_cache_bytes: Number = 25000
    read_file_cache: list[ReadFileCacheEntry]
    activated_groups: list[str]


class Task(BaseModel):
    subject: str
    description: str
    metadata: dict
    created_at: str
    state: Literal["pending", "in_progress", "completed"]
    id: str
    owner: Optional[str]
    blocks: list[str]
    blocked_by: list[str]


class TasksContext(BaseModel):
    tasks: list[Task]


class SessionState(BaseModel):
    session_id: str
    summary: str = ""
    context: list[ContextItem]
    reply_id: str
    cur_iter: int = 0
    permission_context: PermissionContext
    tool_context: ToolContext
    tasks_context: TasksContext


class SessionRecord(BaseModel):
    user_id: str
    agent_id: str
    config: SessionConfig
    id: str
    updated_at: datetime
    created_at: datetime
    source: Literal["user", "schedule", "channel"]
    source_schedule_id: Optional[str]
    team_id: Optional[str]
    state: SessionState


class TeamData(BaseModel):
    name: str
    description: str = ""
    member_ids: list[str]


class TeamRecord(BaseModel):
    user_id: str
    session_id: str
    data: TeamData
    id: str
    updated_at: datetime
    created_at: datetime


class ContextConfig(BaseModel):
    trigger_ratio: Number
    reserve_ratio: Number
    compression_prompt: str
    summary_template: str
    summary_schema: dict
    tool_result_limit: int


class ReactConfig(BaseModel):
    max_iters: int
    stop_on_reject: bool


class AgentData(BaseModel):
    name: str
    context_config: ContextConfig
    react_config: ReactConfig
    id: str
    system_prompt: str


class AgentRecord(BaseModel):
    user_id: str
    data: AgentData
    id: str
    updated_at: datetime
    created_at: datetime
    source: Literal["user", "schedule", "channel"]


class TeamMember(BaseModel):
    agent: AgentRecord
    session_id: str


class TeamView(BaseModel):
    team: TeamRecord
    leader_agent: AgentRecord
    members: list[TeamMember]


class SessionView(BaseModel):
    session: SessionRecord
    is_running: bool
    status: Literal["running", "idle", "awaiting_permission", "awaiting_external_result"]
    team: Optional[TeamView]


class SessionListResponse(BaseModel):
    """Response body for listing sessions."""

    sessions: list[SessionView]
    total: int


def get_user_id(x_user_id: str = Header(...)) -> str:
    if not x_user_id.strip():
        raise HTTPException(status_code=401, detail="X-User-ID header is required.")
    return x_user_id


def sessions_of(user_id: str, agent_id: str) -> list[dict]:
    """Every session of the user's agent in the store under test, all pages, in no particular order."""
    sessions: list[dict] = []
    cursor: Optional[str] = None
    with httpx.Client(base_url=STORE_URL, timeout=30) as client:
        while True:
            params = {"agent_id": agent_id, "limit": "200"}
            if cursor is not None:
                params["cursor"] = cursor
            answer = client.get("/sessions/", params=params, headers={"x-user-id": user_id})
            answer.raise_for_status()
            page = answer.json()["sessions"]
            sessions.extend(page)
            next_link = answer.links.get("next")
            if not page or next_link is None:
                return sessions
            cursor = httpx.URL(next_link["url"]).params["cursor"]


app = FastAPI(title="origin twin")


@app.get("/sessions/", response_model=SessionListResponse)
def list_sessions(
    agent_id: str = Query(..., description="Filter sessions by agent ID."),
    user_id: str = Depends(get_user_id),
) -> SessionListResponse:
    views = [SessionView.model_validate(view) for view in sessions_of(user_id, agent_id)]
    views.sort(key=lambda view: view.session.id)
    views.sort(key=lambda view: view.session.created_at, reverse=True)
    return SessionListResponse(sessions=views, total=len(views))
