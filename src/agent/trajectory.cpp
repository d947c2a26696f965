#include "agent/trajectory.h"

#include "core/file_util.h"

namespace sg::agent {

TrajectoryWriter::TrajectoryWriter(std::filesystem::path path, const SecretRedactor* redactor)
    : path_(std::move(path)), redactor_(redactor) {
  record_ =
      Json{{"format", "skillgrad-trajectory/1"}, {"messages", Json::array()}, {"outcome", nullptr}};
}

Json TrajectoryWriter::RedactJson(const Json& value) const {
  return redactor_ == nullptr ? value : redactor_->RedactJson(value);
}

void TrajectoryWriter::SetHeader(const Json& header) {
  for (auto it = header.begin(); it != header.end(); ++it) record_[it.key()] = RedactJson(*it);
}

void TrajectoryWriter::AddMessage(const llm::Message& message, const Json& extra) {
  Json entry = llm::ToJson(message);
  for (auto it = extra.begin(); it != extra.end(); ++it) entry[it.key()] = *it;
  record_["messages"].push_back(RedactJson(entry));
}

void TrajectoryWriter::SetOutcome(const Json& outcome) { record_["outcome"] = RedactJson(outcome); }

Status TrajectoryWriter::Flush() {
  if (path_.empty()) return Ok();
  return WriteJsonFile(path_, record_);
}

}  // namespace sg::agent
