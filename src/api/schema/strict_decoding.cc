#include "api/schema/strict_decoding.h"

#include <set>

#include <nlohmann/json.hpp>

#include "api/schema/unknown_fields.h"
#include "common/go_quote.h"

namespace tug::api {
namespace {

using nlohmann::json;

// Upstream stops collecting strict errors at this many.
constexpr size_t kMaxErrors = 100;

// Builds the object while walking the text with the type alongside, as a decoder into typed
// structs would. A repeated key shows when inserting it finds it there already, and a path is
// spelled only for a problem, so that a body without problems costs little more than
// json::parse.
class StrictBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  // `root` nullptr: no type, so only duplicates are found (they are then given as paths).
  explicit StrictBuilder(const TypeNode* root) : typed_(root != nullptr), pending_{root, true} {}

  StrictDecoding result() && {
    StrictDecoding out;
    if (error_.empty()) {
      out.object = std::move(root_);
    }
    out.problems = std::move(errors_);
    out.parseError = std::move(error_);
    return out;
  }

  bool null() { return scalar(nullptr); }
  bool boolean(bool v) { return scalar(v); }
  bool number_integer(number_integer_t v) { return scalar(v); }
  bool number_unsigned(number_unsigned_t v) { return scalar(v); }
  bool number_float(number_float_t v, const string_t&) { return scalar(v); }
  bool string(string_t& v) { return scalar(std::move(v)); }
  bool binary(binary_t& v) { return scalar(json::binary(std::move(v))); }
  bool start_object(std::size_t) { return open(json::object(), true); }
  bool start_array(std::size_t) { return open(json::array(), false); }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    return true;
  }

  bool key(string_t& k) {
    Frame& f = frames_.back();
    auto [it, inserted] = f.value->get_ref<json::object_t&>().emplace(k, nullptr);
    element_ = &it->second;
    if (!f.place.report) {
      pending_ = Place{nullptr, false};
      return true;
    }
    f.key = k;
    const TypeNode* type = f.place.type;
    if (type != nullptr && type->kind == TypeKind::kObject) {
      const TypeNode* field = type->field(k);
      if (field == nullptr && !type->preserveUnknownFields) {
        add("unknown field " + goQuote(pathTo(k)));
        pending_ = Place{nullptr, false};
        return true;
      }
      pending_ = Place{field, true};
    } else {
      pending_ = Place{type != nullptr && type->kind == TypeKind::kMap ? type->elem : nullptr,
                       true};
    }
    if (!inserted) {
      add(typed_ ? "duplicate field " + goQuote(pathTo(k)) : pathTo(k));
    }
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    return false;
  }

 private:
  // How a value is checked: its type (nullptr: untyped) and whether to report in it.
  struct Place {
    const TypeNode* type;
    bool report;
  };
  struct Frame {
    json* value;
    bool object;
    Place place;
    std::string name;  // its key in the parent object, or
    long index;        // its index in the parent array (-1: not in an array)
    std::string key;   // objects: the key being read
    long next = 0;     // arrays: the next element's index
  };

  // Puts a value that starts now where it goes: the root, an array's next element, or the
  // member key() made. Says how it is checked and, for a container, its name or index.
  json* place(json&& v, Place& where, Frame* named) {
    if (frames_.empty()) {
      root_ = std::move(v);
      where = pending_;
      return &root_;
    }
    Frame& parent = frames_.back();
    if (!parent.object) {
      const TypeNode* t = parent.place.type;
      where = Place{t != nullptr && t->kind == TypeKind::kList ? t->elem : nullptr,
                    parent.place.report};
      if (named != nullptr) {
        named->index = parent.next;
      }
      ++parent.next;
      parent.value->push_back(std::move(v));
      return &parent.value->back();
    }
    where = pending_;
    if (named != nullptr && where.report) {
      named->name = parent.key;
    }
    *element_ = std::move(v);
    return element_;
  }

  template <class V>
  bool scalar(V&& v) {
    Place where{};
    place(json(std::forward<V>(v)), where, nullptr);
    return true;
  }

  bool open(json&& v, bool object) {
    Frame f{nullptr, object, Place{}, {}, -1, {}, 0};
    f.value = place(std::move(v), f.place, &f);
    frames_.push_back(std::move(f));
    return true;
  }

  // The path of `key` in the innermost object: "spec.ports[0].hostPort".
  std::string pathTo(const std::string& key) const {
    std::string path;
    for (size_t i = 1; i < frames_.size(); ++i) {
      path = frames_[i].index >= 0 ? indexPath(path, static_cast<size_t>(frames_[i].index))
                                   : fieldPath(path, frames_[i].name);
    }
    return fieldPath(path, key);
  }

  void add(std::string message) {
    if (errors_.size() < kMaxErrors && seen_.insert(message).second) {
      errors_.push_back(std::move(message));
    }
  }

  bool typed_;
  json root_;
  json* element_ = nullptr;
  Place pending_;
  std::vector<Frame> frames_;
  std::vector<std::string> errors_;
  std::set<std::string> seen_;
  std::string error_;
};

StrictDecoding decode(const TypeNode* type, std::string_view text) {
  StrictBuilder builder(type);
  json::sax_parse(text.begin(), text.end(), &builder);
  return std::move(builder).result();
}

}  // namespace

StrictDecoding decodeStrictly(const TypeNode& type, std::string_view text) {
  return decode(&type, text);
}

std::vector<std::string> strictDecodingErrors(const TypeNode& type, std::string_view text) {
  return decode(&type, text).problems;
}

std::vector<std::string> duplicateFields(std::string_view text) {
  return decode(nullptr, text).problems;
}

}  // namespace tug::api
