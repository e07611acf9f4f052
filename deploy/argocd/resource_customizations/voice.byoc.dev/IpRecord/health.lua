-- Argo CD health check for voice.byoc.dev IpRecord (sourceip-operator).
--
-- Healthy     Ready=True at the current generation
-- Degraded    Stalled=True: the operator cannot converge until someone changes something
--             (InvalidSpec, TwilioRejected, Conflict, CredentialsInvalid, ReferenceNotReady)
-- Progressing no status yet, a generation not yet observed, Reconciling=True (Creating,
--             Deleting, TwilioUnavailable), or a deletion under way
-- Suspended   the voice.byoc.dev/paused annotation, or managementPolicy Observe while Twilio
--             differs from the spec
-- Objects written before Stalled and Reconciling existed carry only Ready and Synced: their
-- reasons say the same.
--
-- Lua 5.1 only (Argo CD runs gopher-lua), and no string, math or os functions (Argo CD opens
-- only the base, table and a reduced os library).

local PAUSED_ANNOTATION = "voice.byoc.dev/paused"

local STALLED_REASONS = {
  InvalidSpec = true,
  TwilioRejected = true,
  Conflict = true,
  CredentialsInvalid = true,
  ReferenceNotReady = true
}

local function health(status, message)
  return { status = status, message = message }
end

local metadata = obj.metadata or {}
local annotations = metadata.annotations or {}
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
local synced = find("Synced")
local stalled = find("Stalled")
local reconciling = find("Reconciling")

if annotations[PAUSED_ANNOTATION] == "true" then
  if ready ~= nil and ready.reason == "Paused" then
    return health("Suspended", text(ready, "Paused"))
  end
  return health("Suspended", "Paused: the annotation " .. PAUSED_ANNOTATION .. " stops all writes to Twilio")
end

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

-- written before Stalled existed: the reason of Ready or Synced says the same
if stalled == nil then
  if isFalse(ready) and STALLED_REASONS[ready.reason] then
    return health("Degraded", text(ready, ready.reason))
  end
  if isFalse(synced) and STALLED_REASONS[synced.reason] then
    return health("Degraded", text(synced, synced.reason))
  end
end

if isTrue(reconciling) then
  return health("Progressing", text(reconciling, "Reconciling"))
end

if metadata.deletionTimestamp ~= nil then
  if ready ~= nil and ready.reason == "Deleting" then
    return health("Progressing", text(ready, "Deleting"))
  end
  return health("Progressing", "Deleting")
end

if isTrue(ready) then
  return health("Healthy", text(ready, "Available"))
end

-- managementPolicy Observe and Twilio differs from the spec: only a person can settle that
if isFalse(synced) and synced.reason == "Observing" then
  return health("Suspended", text(synced, "Observing"))
end
if isFalse(ready) and ready.reason == "Observing" then
  return health("Suspended", text(ready, "Observing"))
end

-- Creating, Deleting, TwilioUnavailable, or a status the operator has not rewritten yet
-- (e.g. Paused just after the annotation was removed)
if ready ~= nil and ready.status == "False" and ready.reason ~= "Paused" then
  return health("Progressing", text(ready, "Waiting for the IP record to become Ready"))
end
if isFalse(synced) and synced.reason ~= "Paused" then
  return health("Progressing", text(synced, "Waiting for the IP record to become Ready"))
end
return health("Progressing", "Waiting for the IP record to become Ready")
