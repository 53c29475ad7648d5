#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/quantity.h"

// How upstream writes a quantity back out: in the notation it was given in (decimal SI
// suffixes, binary SI suffixes, or a decimal exponent), in canonical form ("1000m" is "1",
// "1536Mi" stays "1536Mi", "1.5Gi" becomes "1536Mi", "0.5" becomes "500m"). Quota usage and
// the LimitRanger's messages print quantities this way.
namespace tug::api {

enum class QuantityFormat { kDecimalSI, kBinarySI, kDecimalExponent };

// The notation of a quantity as written in an object: Ki..Ei are binary, e/E exponents are
// decimal exponents, everything else (numbers included) is decimal SI.
QuantityFormat quantityFormatOf(const nlohmann::json& value);

// The canonical text of `q` in `format`. Binary notation is used only for whole amounts of at
// least 1024 in magnitude; anything else falls back to decimal SI, as upstream does.
std::string formatQuantity(const Quantity& q, QuantityFormat format);

}  // namespace tug::api
