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

// Walks the JSON text with the type alongside, as a decoder into typed structs would.
class StrictWalker : public nlohmann::json_sax<json> {
 public:
  // `root` nullptr: no type, so only duplicates are found (they are then given as paths).
  explicit StrictWalker(const TypeNode* root) : typed_(root != nullptr) {
    next_ = Value{root, "", true};
  }

  std::vector<std::string> errors() { return std::move(errors_); }

  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t) override { return scalar(); }
  bool number_unsigned(number_unsigned_t) override { return scalar(); }
  bool number_float(number_float_t, const string_t&) override { return scalar(); }
  bool string(string_t&) override { return scalar(); }
  bool binary(binary_t&) override { return scalar(); }

  bool start_object(std::size_t) override {
    frames_.push_back(Frame{true, place(next_), {}, 0});
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    frames_.push_back(Frame{false, place(next_), {}, 0});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return true;
  }

  bool key(string_t& k) override {
    Frame& f = frames_.back();
    if (!f.value.report) {
      next_ = Value{nullptr, "", false};
      return true;
    }
    std::string path = fieldPath(f.value.path, k);
    const TypeNode* type = f.value.type;
    if (typed_ && type != nullptr && type->kind == TypeKind::kObject) {
      const TypeNode* field = type->field(k);
      if (field == nullptr && !type->preserveUnknownFields) {
        add("unknown field " + goQuote(path));
        next_ = Value{nullptr, "", false};
        return true;
      }
      checkDuplicate(f, k, path);
      next_ = Value{field, path, true};
      return true;
    }
    checkDuplicate(f, k, path);
    next_ = Value{type != nullptr && type->kind == TypeKind::kMap ? type->elem : nullptr, path,
                  true};
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  // Where a value sits: its type (nullptr: untyped) and path, and whether to report in it.
  struct Value {
    const TypeNode* type = nullptr;
    std::string path;
    bool report = true;
  };
  struct Frame {
    bool object;
    Value value;
    std::set<std::string> keys;  // objects: keys seen so far
    size_t index;                // arrays: the next element's index
  };

  // The place of the value that starts now: an array's next element, or what key() set.
  Value place(Value& pending) {
    if (!frames_.empty() && !frames_.back().object) {
      Frame& a = frames_.back();
      const TypeNode* t = a.value.type;
      return Value{t != nullptr && t->kind == TypeKind::kList ? t->elem : nullptr,
                   indexPath(a.value.path, a.index++), a.value.report};
    }
    return std::move(pending);
  }

  bool scalar() {
    place(next_);
    return true;
  }

  void checkDuplicate(Frame& f, const std::string& k, const std::string& path) {
    if (!f.keys.insert(k).second) {
      add(typed_ ? "duplicate field " + goQuote(path) : path);
    }
  }

  void add(std::string message) {
    if (errors_.size() < kMaxErrors && seen_.insert(message).second) {
      errors_.push_back(std::move(message));
    }
  }

  bool typed_;
  Value next_;
  std::vector<Frame> frames_;
  std::vector<std::string> errors_;
  std::set<std::string> seen_;
};

}  // namespace

std::vector<std::string> strictDecodingErrors(const TypeNode& type, std::string_view text) {
  StrictWalker walker(&type);
  json::sax_parse(text.begin(), text.end(), &walker);
  return walker.errors();
}

std::vector<std::string> duplicateFields(std::string_view text) {
  StrictWalker walker(nullptr);
  json::sax_parse(text.begin(), text.end(), &walker);
  return walker.errors();
}

}  // namespace tug::api
