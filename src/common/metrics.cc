// Prometheus text exposition for counters, gauges and histograms (see
// metrics.h).
#include "common/metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace playground::metrics {
namespace {

void atomic_add(std::atomic<double>& a, double by) {
  double old = a.load();
  while (!a.compare_exchange_weak(old, old + by)) {
  }
}

// The shortest text that reads back as `v` (0.1, not 0.10000000000000001).
std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

// Label values are escaped as the exposition format requires.
std::string escape_label(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void Counter::inc(double by) { atomic_add(value_, by); }
void Gauge::add(double by) { atomic_add(value_, by); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1);
  atomic_add(sum_, v);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load();
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load();
  return s;
}

Counter& CounterFamily::with(
    std::initializer_list<std::string_view> label_values) {
  std::lock_guard lock(mu_);
  auto it = children_.find(label_values);
  if (it == children_.end()) {
    it = children_
             .emplace(std::vector<std::string>(label_values.begin(),
                                               label_values.end()),
                      std::make_unique<Counter>())
             .first;
  }
  return *it->second;
}

CounterFamily& Registry::counter_family(std::string name, std::string help,
                                        std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Entry& e = entries_.emplace_back();
  e.name = std::move(name);
  e.help = std::move(help);
  e.type = "counter";
  e.family = std::make_unique<CounterFamily>(std::move(label_names));
  return *e.family;
}

Counter& Registry::counter(std::string name, std::string help) {
  std::lock_guard lock(mu_);
  Entry& e = entries_.emplace_back();
  e.name = std::move(name);
  e.help = std::move(help);
  e.type = "counter";
  e.counter = std::make_unique<Counter>();
  return *e.counter;
}

Gauge& Registry::gauge(std::string name, std::string help) {
  std::lock_guard lock(mu_);
  Entry& e = entries_.emplace_back();
  e.name = std::move(name);
  e.help = std::move(help);
  e.type = "gauge";
  e.gauge = std::make_unique<Gauge>();
  return *e.gauge;
}

void Registry::gauge_callback(std::string name, std::string help,
                              std::function<double()> read) {
  std::lock_guard lock(mu_);
  Entry& e = entries_.emplace_back();
  e.name = std::move(name);
  e.help = std::move(help);
  e.type = "gauge";
  e.callback = std::move(read);
}

Histogram& Registry::histogram(std::string name, std::string help,
                               std::vector<double> upper_bounds) {
  std::lock_guard lock(mu_);
  Entry& e = entries_.emplace_back();
  e.name = std::move(name);
  e.help = std::move(help);
  e.type = "histogram";
  e.histogram = std::make_unique<Histogram>(std::move(upper_bounds));
  return *e.histogram;
}

namespace {

void write_labelled(std::ostream& out, const std::string& name,
                    const std::vector<std::string>& names,
                    const std::vector<std::string>& values, double value) {
  out << name << '{';
  for (size_t i = 0; i < values.size() && i < names.size(); ++i) {
    if (i) out << ',';
    out << names[i] << "=\"" << escape_label(values[i]) << '"';
  }
  out << "} " << format_number(value) << '\n';
}

}  // namespace

void Registry::gauge_family_callback(std::string name, std::string help,
                                     std::vector<std::string> label_names,
                                     std::function<LabelledValues()> read) {
  std::lock_guard lock(mu_);
  Entry& e = entries_.emplace_back();
  e.name = std::move(name);
  e.help = std::move(help);
  e.type = "gauge";
  e.callback_labels = std::move(label_names);
  e.family_callback = std::move(read);
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  for (const Entry& e : entries_) {
    out << "# HELP " << e.name << ' ' << e.help << "\n# TYPE " << e.name << ' '
        << e.type << '\n';
    if (e.counter) {
      out << e.name << ' ' << format_number(e.counter->value()) << '\n';
    } else if (e.gauge) {
      out << e.name << ' ' << format_number(e.gauge->value()) << '\n';
    } else if (e.callback) {
      out << e.name << ' ' << format_number(e.callback()) << '\n';
    } else if (e.family) {
      std::lock_guard family_lock(e.family->mu_);
      for (const auto& [values, counter] : e.family->children_) {
        write_labelled(out, e.name, e.family->label_names_, values,
                       counter->value());
      }
    } else if (e.family_callback) {
      for (const auto& [values, value] : e.family_callback()) {
        write_labelled(out, e.name, e.callback_labels, values, value);
      }
    } else if (e.histogram) {
      Histogram::Snapshot s = e.histogram->snapshot();
      for (size_t i = 0; i < s.bounds.size(); ++i) {
        out << e.name << "_bucket{le=\"" << format_number(s.bounds[i]) << "\"} "
            << s.cumulative[i] << '\n';
      }
      out << e.name << "_bucket{le=\"+Inf\"} " << s.count << '\n';
      out << e.name << "_sum " << format_number(s.sum) << '\n';
      out << e.name << "_count " << s.count << '\n';
    }
  }
  return out.str();
}

}  // namespace playground::metrics
