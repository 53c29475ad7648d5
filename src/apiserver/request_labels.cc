#include "apiserver/request_labels.h"

#include "apiserver/resource_path.h"
#include "apiserver/resource_verbs.h"

namespace tug::apiserver {

RequestLabels requestLabels(const httplib::Request& req) {
  RequestLabels l;
  l.verb = req.method;
  auto path = parseResourcePath(req.path);
  if (!path.ok()) {
    return l;
  }
  l.group = path->group;
  l.version = path->version;
  l.resource = path->resource;
  l.subresource = path->subresource;
  bool named = !path->name.empty();
  l.scope = named ? "resource" : (!path->ns.empty() ? "namespace" : "cluster");
  if (req.method == "GET" && !named) {
    std::string watch = req.get_param_value("watch");
    l.verb = parseGoBool(watch).value_or(false) ? "WATCH" : "LIST";
  } else if (req.method == "DELETE" && !named) {
    l.verb = "DELETECOLLECTION";
  } else if (req.method == "PATCH" &&
             req.get_header_value("Content-Type").rfind("application/apply-patch", 0) == 0) {
    l.verb = "APPLY";
  }
  return l;
}

}  // namespace tug::apiserver
