#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/quantity.h"
#include "api/quantity_format.h"

// A ResourceList (resource name -> quantity) with upstream's arithmetic for quota: sums keep
// the notation of the first non-zero amount, masks and comparisons go by name.
namespace tug::api::quota {

struct Amount {
  Quantity quantity;
  QuantityFormat format = QuantityFormat::kDecimalSI;

  static Amount of(int64_t value) { return Amount{Quantity::fromValue(value)}; }
  std::string text() const { return formatQuantity(quantity, format); }
  Amount& operator+=(const Amount& o);
};

using ResourceList = std::map<std::string, Amount>;
using ResourceNames = std::set<std::string>;

// The quantities of a JSON ResourceList; values that are not quantities are left out
// (validation reports them).
ResourceList resourceListFrom(const nlohmann::json& list);
// {name: canonical text}.
nlohmann::json toJson(const ResourceList& list);

ResourceNames namesOf(const ResourceList& list);
ResourceList add(const ResourceList& a, const ResourceList& b);
// a - b, where b's names not in a are ignored and results below zero become zero.
ResourceList subtractNonNegative(const ResourceList& a, const ResourceList& b);
// Only the entries whose names are in `names`.
ResourceList mask(const ResourceList& list, const ResourceNames& names);
ResourceList removeZeros(const ResourceList& list);
// The names of `a` whose amount is above b's for the same name (names missing from b are not
// limited). Empty: a <= b.
std::vector<std::string> exceeding(const ResourceList& a, const ResourceList& b);
// "name=value,name=value" in name order, as quota messages print lists.
std::string prettyPrint(const ResourceList& list);
// Same contents, the same text for every amount.
bool sameText(const ResourceList& a, const ResourceList& b);

}  // namespace tug::api::quota
