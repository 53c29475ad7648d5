#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// The entries of an Accept header, as content negotiation reads them for every response format
// the server chooses between (Table or plain JSON, aggregated or legacy discovery).
namespace tug::apiserver {

struct MediaRange {
  std::string type, subtype;                  // lower case: "application", "json"
  std::map<std::string, std::string> params;  // lower-case keys; without q
  double q = 1.0;
  size_t order = 0;  // the entry's place in the header
};

// The header's entries, most preferred first: higher q, then concrete types over wildcards,
// then more parameters, then the client's order (the rules of the Accept parser upstream
// uses). Entries that are not media ranges (no '/') are left out, as upstream's parser does.
std::vector<MediaRange> parseAccept(std::string_view accept);

// A parameter's value; "" when the entry does not have it.
std::string param(const MediaRange& m, const char* key);

// True for a header that is absent or blank (the client takes the default format).
bool acceptIsEmpty(std::string_view accept);

}  // namespace tug::apiserver
