#include "api/managed/field_set.h"

namespace tug::api::managed {
namespace {

// Renders a JSON value as upstream's path strings do: strings quoted, numbers and booleans
// bare.
std::string valueText(const nlohmann::json& v) { return v.dump(); }

std::string elementString(const PathElement& pe) {
  std::string_view body = std::string_view(pe).substr(2);
  if (pe.starts_with("f:")) {
    return "." + std::string(body);
  }
  if (pe.starts_with("i:")) {
    return "[" + std::string(body) + "]";
  }
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return "[" + std::string(body) + "]";
  }
  if (pe.starts_with("v:")) {
    return "[=" + valueText(parsed) + "]";
  }
  std::string out = "[";
  bool first = true;
  for (const auto& [k, v] : parsed.items()) {
    out += (first ? "" : ",") + k + "=" + valueText(v);
    first = false;
  }
  return out + "]";
}

bool validElement(std::string_view pe) {
  if (pe.size() < 2 || pe[1] != ':') {
    return false;
  }
  switch (pe[0]) {
    case 'f':
      return true;
    case 'i':
      return pe.size() > 2 && pe.find_first_not_of("0123456789", 2) == std::string_view::npos;
    case 'k': {
      auto j = nlohmann::json::parse(pe.substr(2), nullptr, false);
      return j.is_object();
    }
    case 'v':
      return !nlohmann::json::parse(pe.substr(2), nullptr, false).is_discarded();
    default:
      return false;
  }
}

}  // namespace

PathElement fieldElement(std::string_view name) { return "f:" + std::string(name); }
PathElement keyElement(const nlohmann::json& keyFields) { return "k:" + keyFields.dump(); }
PathElement valueElement(const nlohmann::json& value) { return "v:" + value.dump(); }

std::string pathString(const FieldPath& path) {
  std::string out;
  for (const PathElement& pe : path) {
    out += elementString(pe);
  }
  return out;
}

void FieldSet::insert(const FieldPath& path) {
  FieldSet* node = this;
  for (const PathElement& pe : path) {
    node = &node->children_[pe];
  }
  node->member_ = true;
}

const FieldSet* FieldSet::find(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const PathElement& pe : path) {
    auto it = node->children_.find(pe);
    if (it == node->children_.end()) {
      return nullptr;
    }
    node = &it->second;
  }
  return node;
}

const FieldSet* FieldSet::child(std::string_view pe) const {
  auto it = children_.find(pe);
  return it == children_.end() ? nullptr : &it->second;
}

bool FieldSet::contains(const FieldPath& path) const {
  const FieldSet* node = find(path);
  return node != nullptr && node->member_;
}

bool FieldSet::containsPrefix(const FieldPath& path) const {
  const FieldSet* node = find(path);
  return node != nullptr && !node->empty();
}

FieldSet FieldSet::unionWith(const FieldSet& other) const {
  FieldSet out = *this;
  out.member_ = member_ || other.member_;
  for (const auto& [pe, child] : other.children_) {
    auto it = out.children_.find(pe);
    if (it == out.children_.end()) {
      out.children_.emplace(pe, child);
    } else {
      it->second = it->second.unionWith(child);
    }
  }
  return out;
}

FieldSet FieldSet::difference(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && !other.member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    FieldSet rest = it == other.children_.end() ? child : child.difference(it->second);
    if (!rest.empty()) {
      out.children_.emplace(pe, std::move(rest));
    }
  }
  return out;
}

FieldSet FieldSet::intersection(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    if (it == other.children_.end()) {
      continue;
    }
    FieldSet both = child.intersection(it->second);
    if (!both.empty()) {
      out.children_.emplace(pe, std::move(both));
    }
  }
  return out;
}

FieldSet FieldSet::recursiveDifference(const FieldSet& other) const {
  if (other.member_) {
    return FieldSet();
  }
  FieldSet out;
  out.member_ = member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    FieldSet rest = it == other.children_.end() ? child : child.recursiveDifference(it->second);
    if (!rest.empty()) {
      out.children_.emplace(pe, std::move(rest));
    }
  }
  return out;
}

FieldSet FieldSet::restrictedTo(const FieldPath& prefix) const {
  const FieldSet* sub = find(prefix);
  if (sub == nullptr || sub->empty()) {
    return FieldSet();
  }
  FieldSet out = *sub;
  for (auto it = prefix.rbegin(); it != prefix.rend(); ++it) {
    FieldSet parent;
    parent.children_.emplace(*it, std::move(out));
    out = std::move(parent);
  }
  return out;
}

void FieldSet::forEachMember(const std::function<void(const FieldPath&)>& fn) const {
  FieldPath prefix;
  forEachMember(prefix, fn);
}

void FieldSet::forEachMember(FieldPath& prefix,
                             const std::function<void(const FieldPath&)>& fn) const {
  if (member_) {
    fn(prefix);
  }
  for (const auto& [pe, child] : children_) {
    prefix.push_back(pe);
    child.forEachMember(prefix, fn);
    prefix.pop_back();
  }
}

nlohmann::json FieldSet::toFieldsV1() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [pe, child] : children_) {
    nlohmann::json sub = child.toFieldsV1();
    // A member with members below it marks itself with ".".
    if (child.member_ && !child.children_.empty()) {
      sub["."] = nlohmann::json::object();
    }
    out[pe] = std::move(sub);
  }
  return out;
}

Result<FieldSet> FieldSet::fromFieldsV1(const nlohmann::json& fields) {
  if (!fields.is_object()) {
    return badRequest("FieldsV1 must be a JSON object");
  }
  FieldSet out;
  for (const auto& [key, value] : fields.items()) {
    if (key == ".") {
      out.member_ = true;
      continue;
    }
    if (!validElement(key)) {
      return badRequest("FieldsV1 has an invalid path element \"" + key + "\"");
    }
    auto child = fromFieldsV1(value);
    if (!child.ok()) {
      return child.status();
    }
    // A leaf ({}) is a member; an inner node is one only when it says so with ".".
    if (value.empty()) {
      child->member_ = true;
    }
    out.children_.emplace(key, std::move(*child));
  }
  return out;
}

}  // namespace tug::api::managed
