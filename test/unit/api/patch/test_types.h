#pragma once

#include <deque>
#include <string>

#include "api/type_node.h"

// Small type graphs built by hand, shaped like the built-in kinds' fields the strategic merge
// patch cares about (the real ones come from the embedded OpenAPI schemas).
namespace tug::api::testing {

class TestTypes {
 public:
  TestTypes() {
    TypeNode* str = scalar("string");
    TypeNode* integer = scalar("integer");

    TypeNode* meta = object();
    meta->fields = {{"name", str},
                    {"labels", map(str)},
                    {"annotations", map(str)},
                    {"finalizers", list(str, "merge", "")}};

    TypeNode* port = object();
    port->fields = {{"containerPort", integer}, {"protocol", str}, {"name", str}};
    TypeNode* env = object();
    env->fields = {{"name", str}, {"value", str}};
    TypeNode* container = object();
    container->fields = {{"name", str},
                         {"image", str},
                         {"args", list(str, "", "")},
                         {"ports", list(port, "merge", "containerPort")},
                         {"env", list(env, "merge", "name")}};
    TypeNode* hostPath = object();
    hostPath->fields = {{"path", str}};
    TypeNode* volume = object();
    volume->fields = {{"name", str}, {"emptyDir", object()}, {"hostPath", hostPath}};
    TypeNode* toleration = object();
    toleration->fields = {{"key", str}, {"effect", str}};

    TypeNode* podSpec = object();
    podSpec->fields = {{"containers", list(container, "merge", "name")},
                       {"volumes", list(volume, "merge,retainKeys", "name")},
                       {"tolerations", list(toleration, "", "")},
                       {"nodeSelector", map(str)},
                       {"matrix", list(list(str, "", ""), "merge", "")}};
    // Not a real field: a map whose patches replace it whole.
    TypeNode* replaced = map(str);
    replaced->patchStrategy = "replace";
    podSpec->fields["replacedMap"] = replaced;
    TypeNode* podRoot = object();
    podRoot->fields = {{"metadata", meta}, {"spec", podSpec}, {"status", object()}};
    pod = podRoot;

    TypeNode* rollingUpdate = object();
    rollingUpdate->fields = {{"maxSurge", scalar("")}, {"maxUnavailable", scalar("")}};
    TypeNode* strategy = object();
    strategy->fields = {{"type", str}, {"rollingUpdate", rollingUpdate}};
    strategy->patchStrategy = "retainKeys";
    TypeNode* podTemplate = object();
    podTemplate->fields = {{"metadata", meta}, {"spec", podSpec}};
    TypeNode* deploymentSpec = object();
    deploymentSpec->fields = {{"replicas", integer}, {"strategy", strategy},
                              {"template", podTemplate}};
    TypeNode* deploymentRoot = object();
    deploymentRoot->fields = {{"metadata", meta}, {"spec", deploymentSpec}};
    deployment = deploymentRoot;
  }

  const TypeNode* pod = nullptr;
  const TypeNode* deployment = nullptr;

 private:
  TypeNode* make(TypeKind kind) {
    nodes_.emplace_back();
    nodes_.back().kind = kind;
    return &nodes_.back();
  }
  TypeNode* scalar(const std::string& type) {
    TypeNode* n = make(TypeKind::kScalar);
    n->scalarType = type;
    return n;
  }
  TypeNode* object() { return make(TypeKind::kObject); }
  TypeNode* map(const TypeNode* elem) {
    TypeNode* n = make(TypeKind::kMap);
    n->elem = elem;
    return n;
  }
  TypeNode* list(const TypeNode* elem, const std::string& strategy, const std::string& key) {
    TypeNode* n = make(TypeKind::kList);
    n->elem = elem;
    n->patchStrategy = strategy;
    n->patchMergeKey = key;
    return n;
  }

  std::deque<TypeNode> nodes_;  // a deque keeps node addresses stable as it grows
};

}  // namespace tug::api::testing
