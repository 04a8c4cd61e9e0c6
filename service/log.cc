#include "service/log_internal.h"

#include <atomic>
#include <cstdio>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace yingshang::service {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

// The sink and the mutex that serializes lines. Leaked on purpose: events
// may be logged from threads still running during static destruction.
struct SinkState {
  absl::Mutex mu;
  LogSink sink ABSL_GUARDED_BY(mu);  // Empty: stderr.
};

SinkState& State() {
  static SinkState* state = new SinkState;
  return *state;
}

void Write(absl::string_view line) {
  SinkState& state = State();
  absl::MutexLock lock(&state.mu);
  if (state.sink) {
    state.sink(line);
    return;
  }
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

bool NeedsQuotes(absl::string_view value) {
  if (value.empty()) return true;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
      return true;
    }
  }
  return false;
}

}  // namespace

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

bool ParseLogLevel(absl::string_view name, LogLevel* level) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "debug") {
    *level = LogLevel::kDebug;
  } else if (lower == "info") {
    *level = LogLevel::kInfo;
  } else if (lower == "warn" || lower == "warning") {
    *level = LogLevel::kWarn;
  } else if (lower == "error") {
    *level = LogLevel::kError;
  } else {
    return false;
  }
  return true;
}

void SetLogLevel(LogLevel level) {
  g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

LogLevel GetLogLevel() {
  return static_cast<LogLevel>(g_level.load(std::memory_order_relaxed));
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

LogSink SetLogSink(LogSink sink) {
  SinkState& state = State();
  absl::MutexLock lock(&state.mu);
  LogSink previous = std::move(state.sink);
  state.sink = std::move(sink);
  return previous;
}

std::string LogfmtValue(absl::string_view value) {
  if (!NeedsQuotes(value)) return std::string(value);
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < ' ' || c == 0x7f) {
          absl::StrAppendFormat(&out, "\\x%02x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string FormatLogLine(
    absl::Time time, LogLevel level, absl::string_view event,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line = absl::StrCat(
      "ts=", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()),
      " level=", LogLevelName(level), " event=", LogfmtValue(event));
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, " ", key, "=", LogfmtValue(value));
  }
  line.push_back('\n');
  return line;
}

LogEvent::LogEvent(LogLevel level, absl::string_view event)
    : level_(level),
      enabled_(LogEnabled(level)),
      time_(enabled_ ? absl::Now() : absl::InfinitePast()) {
  if (enabled_) event_ = std::string(event);
}

LogEvent::~LogEvent() {
  if (!enabled_) return;
  Write(FormatLogLine(time_, level_, event_, fields_));
}

LogEvent& LogEvent::Add(absl::string_view key, absl::string_view value) {
  if (enabled_) fields_.emplace_back(std::string(key), std::string(value));
  return *this;
}

LogEvent& LogEvent::Add(absl::string_view key, int64_t value) {
  if (enabled_) fields_.emplace_back(std::string(key), absl::StrCat(value));
  return *this;
}

LogEvent& LogEvent::Add(absl::string_view key, uint64_t value) {
  if (enabled_) fields_.emplace_back(std::string(key), absl::StrCat(value));
  return *this;
}

LogEvent& LogEvent::AddMs(absl::string_view key, absl::Duration duration) {
  if (enabled_) {
    fields_.emplace_back(
        std::string(key),
        absl::StrFormat("%.1f", absl::ToDoubleMilliseconds(duration)));
  }
  return *this;
}

LogCapture::LogCapture() {
  previous_ = SetLogSink([this](absl::string_view line) {
    absl::MutexLock lock(&mu_);
    text_.append(line.data(), line.size());
  });
}

LogCapture::~LogCapture() { SetLogSink(std::move(previous_)); }

std::string LogCapture::text() const {
  absl::MutexLock lock(&mu_);
  return text_;
}

std::vector<std::string> LogCapture::Lines(absl::string_view event) const {
  const std::string text = this->text();
  const std::string needle = absl::StrCat(" event=", event);
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    size_t at = line.find(needle);
    if (at == absl::string_view::npos) continue;
    size_t end = at + needle.size();
    if (end == line.size() || line[end] == ' ') lines.emplace_back(line);
  }
  return lines;
}

}  // namespace yingshang::service
