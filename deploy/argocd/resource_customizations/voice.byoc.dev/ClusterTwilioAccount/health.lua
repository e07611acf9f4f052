-- Argo CD health check for voice.byoc.dev ClusterTwilioAccount (sourceip-operator).
--
-- Healthy     Ready=True at the current generation: Twilio accepted the credentials
-- Degraded    Stalled=True (CredentialsInvalid, InvalidSpec, TwilioRejected), or Ready=False with
--             reason CredentialsInvalid or InvalidSpec: only a change to the account or its
--             credentials Secret ends it
-- Progressing no status yet, a generation not yet observed, Twilio unavailable, or a deletion
--             under way (Ready=False, reason Deleting, naming the resources that still use it)
-- An account has no paused annotation and no managementPolicy: it is never Suspended.
--
-- Lua 5.1 only (Argo CD runs gopher-lua), and no string, math or os functions (Argo CD opens
-- only the base, table and a reduced os library).

local DEGRADED_READY_REASONS = {
  CredentialsInvalid = true,
  InvalidSpec = true
}

local function health(status, message)
  return { status = status, message = message }
end

local metadata = obj.metadata or {}
local status = obj.status or {}
local conditions = status.conditions or {}
local generation = metadata.generation

local function find(conditionType)
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

-- a condition written for an older generation says nothing about the current spec
local function current(condition)
  local observed = condition.observedGeneration or status.observedGeneration
  return generation == nil or observed == nil or observed >= generation
end

local function isTrue(condition)
  return condition ~= nil and condition.status == "True" and current(condition)
end

local function isFalse(condition)
  return condition ~= nil and condition.status == "False" and current(condition)
end

local function text(condition, fallback)
  if condition ~= nil and condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition ~= nil and condition.reason ~= nil and condition.reason ~= "" then
    return condition.reason
  end
  return fallback
end

local ready = find("Ready")
local stalled = find("Stalled")

if next(conditions) == nil then
  if metadata.deletionTimestamp ~= nil then
    return health("Progressing", "Deleting")
  end
  return health("Progressing", "Waiting for the operator to report status")
end

if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  return health("Progressing", "Waiting for the operator to observe generation " .. generation
    .. " (status is of generation " .. status.observedGeneration .. ")")
end

if isTrue(stalled) then
  return health("Degraded", text(stalled, "Stalled"))
end

if isFalse(ready) and DEGRADED_READY_REASONS[ready.reason] then
  return health("Degraded", text(ready, ready.reason))
end

-- kept by its finalizer while resources use it: Ready=False, reason Deleting, naming them
if metadata.deletionTimestamp ~= nil then
  if ready ~= nil and ready.reason == "Deleting" then
    return health("Progressing", text(ready, "Deleting"))
  end
  return health("Progressing", "Deleting")
end

if isTrue(ready) then
  return health("Healthy", text(ready, "Available"))
end

-- TwilioUnavailable, TwilioRejected without Stalled, or a status not rewritten yet
if ready ~= nil and ready.status == "False" then
  return health("Progressing", text(ready, "Waiting for the account to become Ready"))
end
return health("Progressing", "Waiting for the account to become Ready")
