#include "api/validation/meta_validation.h"

#include <algorithm>

namespace tug::api::validation {
namespace {

constexpr size_t kTotalAnnotationSizeLimit = 256 * 1024;

void addReasons(ErrorList& errs, const Path& p, const Json& value, const Reasons& reasons) {
  for (const auto& r : reasons) {
    errs.push_back(invalid(p, value, r));
  }
}

ErrorList validateMetaCommon(const Json& meta, bool namespaced) {
  ErrorList errs;
  const Path p("metadata");
  const std::string ns = stringField(meta, "namespace");
  if (namespaced) {
    if (ns.empty()) {
      errs.push_back(required(p.child("namespace")));
    } else {
      addReasons(errs, p.child("namespace"), ns, dns1123Label(ns));
    }
  } else if (!ns.empty()) {
    errs.push_back(forbidden(p.child("namespace"), "not allowed on this type"));
  }
  if (auto gen = intField(meta, "generation"); gen && *gen < 0) {
    errs.push_back(invalid(p.child("generation"), *gen, kNonNegativeMsg));
  }
  append(errs, validateLabels(objectField(meta, "labels"), p.child("labels")));
  append(errs, validateAnnotations(objectField(meta, "annotations"), p.child("annotations")));
  if (const Json* finalizers = arrayField(meta, "finalizers")) {
    for (const auto& f : *finalizers) {
      if (f.is_string()) {
        addReasons(errs, p.child("finalizers"), f, qualifiedName(f.get<std::string>()));
      }
    }
  }
  return errs;
}

bool expressionMatches(const Json& expr, const Json* labels) {
  const std::string key = stringField(expr, "key");
  const std::string op = stringField(expr, "operator");
  bool present = labels != nullptr && labels->contains(key) && (*labels)[key].is_string();
  std::string value = present ? (*labels)[key].get<std::string>() : "";
  bool inValues = false;
  if (const Json* values = arrayField(expr, "values")) {
    inValues = present && std::find(values->begin(), values->end(), Json(value)) != values->end();
  }
  if (op == "In") return inValues;
  if (op == "NotIn") return !inValues;
  if (op == "Exists") return present;
  if (op == "DoesNotExist") return !present;
  return false;
}

}  // namespace

ErrorList validateLabels(const Json* labels, const Path& p) {
  ErrorList errs;
  if (labels == nullptr) {
    return errs;
  }
  for (const auto& [k, v] : labels->items()) {
    addReasons(errs, p, k, qualifiedName(k));
    if (v.is_string()) {
      addReasons(errs, p, v, labelValue(v.get<std::string>()));
    }
  }
  return errs;
}

ErrorList validateAnnotations(const Json* annotations, const Path& p) {
  ErrorList errs;
  if (annotations == nullptr) {
    return errs;
  }
  size_t total = 0;
  for (const auto& [k, v] : annotations->items()) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    addReasons(errs, p, k, qualifiedName(lower));
    total += k.size() + (v.is_string() ? v.get_ref<const std::string&>().size() : 0);
  }
  if (total > kTotalAnnotationSizeLimit) {
    errs.push_back(tooLong(p, kTotalAnnotationSizeLimit));
  }
  return errs;
}

ErrorList validateObjectMeta(const Json& obj, bool namespaced, NameRule rule) {
  ErrorList errs;
  static const Json kEmpty = Json::object();
  const Json* metaPtr = objectField(obj, "metadata");
  const Json& meta = metaPtr ? *metaPtr : kEmpty;
  const Path p("metadata");
  const std::string generate = stringField(meta, "generateName");
  if (!generate.empty()) {
    addReasons(errs, p.child("generateName"), generate, checkName(rule, generate, true));
  }
  const std::string name = stringField(meta, "name");
  if (name.empty()) {
    errs.push_back(required(p.child("name"), "name or generateName is required"));
  } else {
    addReasons(errs, p.child("name"), name, checkName(rule, name, false));
  }
  append(errs, validateMetaCommon(meta, namespaced));
  return errs;
}

ErrorList validateObjectMetaUpdate(const Json& obj, const Json& old, bool namespaced,
                                   NameRule rule) {
  (void)rule;  // names cannot change, so the old name's check stands
  ErrorList errs;
  static const Json kEmpty = Json::object();
  const Json* m = objectField(obj, "metadata");
  const Json* o = objectField(old, "metadata");
  const Json& meta = m ? *m : kEmpty;
  const Json& oldMeta = o ? *o : kEmpty;
  const Path p("metadata");
  // generation is not checked: the server keeps the stored one (prepareForUpdate), as
  // upstream's BeforeUpdate does before it validates.
  // creationTimestamp is not checked either: upstream's BeforeUpdate puts the stored one back
  // whatever the client sent (clients may write the same instant as "+00:00").
  for (const char* key : {"name", "namespace", "uid"}) {
    // An update that leaves out uid keeps the stored one.
    bool keeps = std::string_view(key) == "uid";
    if (stringField(meta, key) != stringField(oldMeta, key) &&
        !(keeps && stringField(meta, key).empty())) {
      errs.push_back(immutable(p.child(key), stringField(meta, key)));
    }
  }
  append(errs, validateMetaCommon(meta, namespaced));
  return errs;
}

ErrorList validateLabelSelector(const Json& selector, const Path& p) {
  ErrorList errs;
  if (!selector.is_object()) {
    return errs;
  }
  forEachObject(selector, "matchExpressions", [&](const Json& expr, size_t i) {
    const Path ep = p.child("matchExpressions").index(i);
    const std::string op = stringField(expr, "operator");
    const Json* values = arrayField(expr, "values");
    size_t count = values ? values->size() : 0;
    if (op == "In" || op == "NotIn") {
      if (count == 0) {
        errs.push_back(required(ep.child("values"),
                                "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (count > 0) {
        errs.push_back(forbidden(ep.child("values"),
                                 "may not be specified when `operator` is 'Exists' or "
                                 "'DoesNotExist'"));
      }
    } else {
      errs.push_back(invalid(ep.child("operator"), op, "not a valid selector operator"));
    }
    const std::string key = stringField(expr, "key");
    addReasons(errs, ep.child("key"), key, qualifiedName(key));
  });
  append(errs, validateLabels(objectField(selector, "matchLabels"), p.child("matchLabels")));
  return errs;
}

bool selectorEmpty(const Json& selector) {
  const Json* ml = objectField(selector, "matchLabels");
  const Json* me = arrayField(selector, "matchExpressions");
  return (ml == nullptr || ml->empty()) && (me == nullptr || me->empty());
}

bool selectorMatches(const Json& selector, const Json* labels) {
  if (const Json* ml = objectField(selector, "matchLabels")) {
    for (const auto& [k, v] : ml->items()) {
      if (labels == nullptr || !labels->contains(k) || (*labels)[k] != v) {
        return false;
      }
    }
  }
  bool all = true;
  forEachObject(selector, "matchExpressions",
                [&](const Json& expr, size_t) { all = all && expressionMatches(expr, labels); });
  return all;
}

ErrorList nonNegative(const Json& obj, std::string_view key, const Path& p) {
  if (auto v = intField(obj, key); v && *v < 0) {
    return {invalid(p, *v, kNonNegativeMsg)};
  }
  return {};
}

ErrorList positive(const Json& obj, std::string_view key, const Path& p) {
  if (auto v = intField(obj, key); v && *v <= 0) {
    return {invalid(p, *v, "must be greater than zero")};
  }
  return {};
}

ErrorList oneOf(const Json& obj, std::string_view key, const Path& p,
                const std::vector<std::string>& values, bool requiredValue) {
  const Json* v = field(obj, key);
  if (v == nullptr || (v->is_string() && v->get_ref<const std::string&>().empty())) {
    if (requiredValue) {
      return {required(p)};
    }
    return {};
  }
  if (!v->is_string() ||
      std::find(values.begin(), values.end(), v->get<std::string>()) == values.end()) {
    return {notSupported(p, *v, values)};
  }
  return {};
}

}  // namespace tug::api::validation
