#include "core/json_fields.h"

namespace sg {
namespace {

const Json* Member(const Json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

}  // namespace

std::string StringField(const Json& j, std::string_view key, std::string_view fallback) {
  const Json* m = Member(j, key);
  return m && m->is_string() ? m->get<std::string>() : std::string(fallback);
}

int64_t IntField(const Json& j, std::string_view key, int64_t fallback) {
  const Json* m = Member(j, key);
  if (!m || !m->is_number()) return fallback;
  if (m->is_number_integer()) return m->get<int64_t>();  // unsigned beyond int64 wraps
  // A float: truncated when it fits; converting one that does not is undefined behaviour.
  const double d = m->get<double>();
  return d > -9.2e18 && d < 9.2e18 ? static_cast<int64_t>(d) : fallback;
}

bool BoolField(const Json& j, std::string_view key, bool fallback) {
  const Json* m = Member(j, key);
  return m && m->is_boolean() ? m->get<bool>() : fallback;
}

std::vector<std::string> StringListField(const Json& j, std::string_view key) {
  std::vector<std::string> items;
  const Json* m = Member(j, key);
  if (!m || !m->is_array()) return items;
  for (const Json& item : *m) {
    if (item.is_string()) items.push_back(item.get<std::string>());
  }
  return items;
}

const Json& ObjectField(const Json& j, std::string_view key) {
  static const Json kEmpty = Json::object();
  const Json* m = Member(j, key);
  return m && m->is_object() ? *m : kEmpty;
}

const Json& AnyField(const Json& j, std::string_view key) {
  static const Json kNull;
  const Json* m = Member(j, key);
  return m ? *m : kNull;
}

}  // namespace sg
