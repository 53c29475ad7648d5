#include "api/quota/resource_list.h"

namespace tug::api::quota {

Amount& Amount::operator+=(const Amount& o) {
  if (quantity.isZero()) {
    format = o.format;  // a zero amount takes the notation of what is added to it
  }
  quantity += o.quantity;
  return *this;
}

ResourceList resourceListFrom(const nlohmann::json& list) {
  ResourceList out;
  if (!list.is_object()) {
    return out;
  }
  for (auto it = list.begin(); it != list.end(); ++it) {
    auto q = quantityFromJson(it.value());
    if (q.ok()) {
      out[it.key()] = Amount{*q, quantityFormatOf(it.value())};
    }
  }
  return out;
}

nlohmann::json toJson(const ResourceList& list) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, amount] : list) {
    out[name] = amount.text();
  }
  return out;
}

ResourceNames namesOf(const ResourceList& list) {
  ResourceNames out;
  for (const auto& entry : list) {
    out.insert(entry.first);
  }
  return out;
}

ResourceList add(const ResourceList& a, const ResourceList& b) {
  ResourceList out = a;
  for (const auto& [name, amount] : b) {
    auto it = out.find(name);
    if (it == out.end()) {
      out[name] = amount;
    } else {
      it->second += amount;
    }
  }
  return out;
}

ResourceList subtractNonNegative(const ResourceList& a, const ResourceList& b) {
  ResourceList out = a;
  for (auto& [name, amount] : out) {
    auto it = b.find(name);
    if (it == b.end()) {
      continue;
    }
    amount.quantity -= it->second.quantity;
    if (amount.quantity < Quantity()) {
      amount.quantity = Quantity();
    }
  }
  return out;
}

ResourceList mask(const ResourceList& list, const ResourceNames& names) {
  ResourceList out;
  for (const auto& [name, amount] : list) {
    if (names.count(name) > 0) {
      out[name] = amount;
    }
  }
  return out;
}

ResourceList removeZeros(const ResourceList& list) {
  ResourceList out;
  for (const auto& [name, amount] : list) {
    if (!amount.quantity.isZero()) {
      out[name] = amount;
    }
  }
  return out;
}

std::vector<std::string> exceeding(const ResourceList& a, const ResourceList& b) {
  std::vector<std::string> out;
  for (const auto& [name, amount] : a) {
    auto it = b.find(name);
    if (it != b.end() && amount.quantity > it->second.quantity) {
      out.push_back(name);
    }
  }
  return out;
}

std::string prettyPrint(const ResourceList& list) {
  std::string out;
  for (const auto& [name, amount] : list) {
    out += (out.empty() ? "" : ",") + name + "=" + amount.text();
  }
  return out;
}

bool sameText(const ResourceList& a, const ResourceList& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->first != j->first || i->second.text() != j->second.text()) {
      return false;
    }
  }
  return true;
}

}  // namespace tug::api::quota
