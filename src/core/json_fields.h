// Members of JSON objects that come from outside (provider replies and streams, model
// tool-call arguments, files anyone can write). Json::value(key, fallback) throws when the
// key is there with another type; these return the fallback instead, and also when `j` is
// not an object. Use them wherever the JSON was not written by skillgrad itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace sg {

std::string StringField(const Json& j, std::string_view key, std::string_view fallback = "");
// A float is truncated to an integer if it fits in 64 bits.
int64_t IntField(const Json& j, std::string_view key, int64_t fallback = 0);
bool BoolField(const Json& j, std::string_view key, bool fallback = false);
// The string items of the member when it is an array (other items skipped), else none.
std::vector<std::string> StringListField(const Json& j, std::string_view key);
// The member when it is an object, else an empty object.
const Json& ObjectField(const Json& j, std::string_view key);
// The member whatever its type; null when it is absent or `j` is not an object. Never throws
// and never inserts (the const operator[] of a missing key is undefined behaviour).
const Json& AnyField(const Json& j, std::string_view key);

}  // namespace sg
