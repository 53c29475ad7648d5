#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

// Cell formats several printers share, each as upstream's helper of the same purpose prints it.
namespace tug::api::table {

// A label map as "a=1,b=2" in key order; "<none>" when empty (labels.FormatLabels).
std::string formatLabels(const nlohmann::json& labels);

// A metav1.LabelSelector in selector syntax ("app=web,tier in (a,b),!legacy"), requirements in
// key order; "" for an empty or absent selector. false in `ok` when it cannot be a selector
// (an unknown operator, In without values, ...).
std::string selectorString(const nlohmann::json* selector, bool* ok);

// metav1.FormatLabelSelector: selectorString, "<none>" when empty, "<error>" when invalid.
std::string formatLabelSelector(const nlohmann::json* selector);

// The Containers and Images cells of a pod template: names and images joined by commas.
std::pair<std::string, std::string> containerCells(const nlohmann::json& containers);

std::string join(const std::vector<std::string>& parts, const std::string& sep);

// Persistent volume access modes abbreviated, in upstream's fixed order: "RWO,ROX,RWX,RWOP".
std::string accessModes(const nlohmann::json& modes);

// Up to `max` items joined by commas, then " + N more..." for the `total - max` left out;
// `empty` when there are none.
std::string listWithMore(const std::vector<std::string>& shown, size_t total, size_t max,
                         const std::string& empty);

// "<none>" when `s` is empty, else `s`.
std::string orNone(const std::string& s);

}  // namespace tug::api::table
