#include "apiserver/pod_binding.h"

#include <optional>
#include <string>

#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

std::string stringAt(const json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// Upstream's ValidatePodBinding. Its errors are not API errors there, so they reach the
// client as a 500 carrying the field errors.
Status validateBinding(const json& binding) {
  json target = binding.value("target", json::object());
  if (!target.is_object()) {
    return badRequest("target: must be an ObjectReference");
  }
  std::string kind = stringAt(target, "kind");
  if (!kind.empty() && kind != "Node") {
    return internalError("target.kind: Unsupported value: \"" + kind +
                         "\": supported values: \"Node\", \"<empty>\"");
  }
  if (stringAt(target, "name").empty()) {
    return internalError("target.name: Required value");
  }
  return Status::ok();
}

// Failures of the assignment that are not API errors become upstream's Conflict about
// pods/binding.
Reply bindingConflict(const ResourceTarget& target, const std::string& why) {
  Status s = conflict("Operation cannot be fulfilled on pods/binding \"" + target.name +
                      "\": " + why);
  json body = statusObject(s);
  body["details"] = {{"name", target.name}, {"kind", "pods/binding"}};
  return Reply{409, std::move(body)};
}

// podutil.UpdatePodCondition: the condition is replaced whole; its transition time moves only
// when its status changes.
void setScheduledTrue(json& pod) {
  json& status = pod["status"];
  if (!status.is_object()) {
    status = json::object();
  }
  json& conditions = status["conditions"];
  if (!conditions.is_array()) {
    conditions = json::array();
  }
  json condition = {{"type", "PodScheduled"},
                    {"status", "True"},
                    {"lastProbeTime", nullptr},
                    {"lastTransitionTime", nowTimestamp()}};
  for (json& c : conditions) {
    if (c.is_object() && stringAt(c, "type") == "PodScheduled") {
      if (stringAt(c, "status") == "True" && c.contains("lastTransitionTime")) {
        condition["lastTransitionTime"] = c["lastTransitionTime"];
      }
      c = std::move(condition);
      return;
    }
  }
  conditions.push_back(std::move(condition));
}

}  // namespace

Reply createPodBinding(const VerbContext& ctx, const VerbRequest& req) {
  auto binding = parseObject(req.body);
  if (!binding.ok()) {
    return Reply{400, statusObject(binding.status())};
  }
  if (!binding->is_object()) {
    return Reply{400, statusObject(badRequest("not a Binding object"))};
  }
  json meta = binding->value("metadata", json::object());
  if (!meta.is_object()) {
    meta = json::object();
  }
  if (stringAt(meta, "name") != req.target.name) {
    return Reply{400, statusObject(badRequest(
                          "name in URL does not match name in Binding object"))};
  }
  if (std::string ns = stringAt(meta, "namespace"); !ns.empty() && ns != req.target.ns) {
    return Reply{400, statusObject(badRequest(
                          "the namespace of the provided object does not match the namespace "
                          "sent on the request"))};
  }
  if (Status s = validateBinding(*binding); !s.isOk()) {
    return Reply{httpCode(s.code()), statusObject(s)};
  }
  const std::string node = (*binding)["target"]["name"];
  const std::string uid = stringAt(meta, "uid");
  json annotations = meta.value("annotations", json::object());
  std::optional<std::string> refusal;
  Mutation assign = [&](json& pod, const json&) -> Status {
    refusal.reset();
    const std::string name = metaString(pod, "name");
    if (!metaString(pod, "deletionTimestamp").empty()) {
      refusal = "pod " + name + " is being deleted, cannot be assigned to a host";
    } else if (!uid.empty() && uid != metaString(pod, "uid")) {
      refusal = "Precondition failed: UID in precondition: " + uid +
                ", UID in object meta: " + metaString(pod, "uid");
    } else if (std::string assigned = pod["spec"].value("nodeName", ""); !assigned.empty()) {
      refusal = "pod " + name + " is already assigned to node \"" + assigned + "\"";
    } else if (auto gates = pod["spec"].find("schedulingGates");
               gates != pod["spec"].end() && gates->is_array() && !gates->empty()) {
      refusal = "pod " + name + " has non-empty .spec.schedulingGates";
    }
    if (refusal) {
      return conflict(*refusal);
    }
    pod["spec"]["nodeName"] = node;
    if (annotations.is_object() && !annotations.empty()) {
      json& mine = pod["metadata"]["annotations"];
      if (!mine.is_object()) {
        mine = json::object();
      }
      for (auto& [k, v] : annotations.items()) {
        mine[k] = v;
      }
    }
    setScheduledTrue(pod);
    return Status::ok();
  };
  // The pod's own write: the loop reads it again and re-checks after a concurrent write.
  Reply written = writeUpdate(ctx, req, 0, assign);
  if (refusal) {
    return bindingConflict(req.target, *refusal);
  }
  if (written.code != 200) {
    return written;
  }
  return Reply{201, {{"kind", "Status"},
                     {"apiVersion", "v1"},
                     {"metadata", json::object()},
                     {"status", "Success"}}};
}

}  // namespace tug::apiserver
