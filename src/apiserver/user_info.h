#pragma once

#include <string>
#include <vector>

namespace tug::apiserver {

// Who made a request, as authentication established it.
struct UserInfo {
  std::string name;  // "system:anonymous" when nobody authenticated
  std::vector<std::string> groups;
  bool authenticated = false;

  static UserInfo anonymous() {
    return UserInfo{"system:anonymous", {"system:unauthenticated"}, false};
  }
};

}  // namespace tug::apiserver
