#pragma once

#include <memory>
#include <string>

#include "client/client.h"

namespace httplib {
class SSLClient;
}

namespace tug::client {

// Starts a watch request on `connection` (which it keeps) for `pathAndQuery`, reading the
// newline-delimited events on a thread of its own. An ERROR event with code 410 ends the stream
// with Gone; an answer other than 200 ends it with that answer's Status.
Result<std::unique_ptr<EventStream>> startHttpsWatch(std::unique_ptr<httplib::SSLClient> connection,
                                                     std::string pathAndQuery,
                                                     bool omitManagedFields);

}  // namespace tug::client
