// The codec benchmarks' inputs, generated in memory from fixed seeds: two SmartREST CSV bodies and a Bayeux connect reply.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BENCH_BODIES_HPP
#define RTNOTIFY_BENCH_BODIES_HPP

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace rtnotify_bench {

/// SplitMix64 (https://prng.di.unimi.it/splitmix64.c): a seeded, portable stream of 64-bit values.
class splitmix64
{
public:
    explicit splitmix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    /// An integer of [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }

    /// True with a probability of `percent` in 100.
    bool percent(unsigned percent) { return next() % 100 < percent; }

    template<class T, std::size_t N>
    T const& pick(std::array<T, N> const& from)
    {
        return from[next() % N];
    }

private:
    std::uint64_t state_;
};

namespace detail {

inline constexpr std::array<std::string_view, 20> words{
    "some", "text", "restart", "device", "now", "temperature", "value", "firmware", "update", "ok",
    "error", "relay", "open", "closed", "c8y", "agent", "level", "degC", "42", "3.14"};

/// An ISO 8601 time of 2026-11-22, to the millisecond.
inline std::string time_of_day(std::int64_t h, std::int64_t m, std::int64_t s, std::int64_t ms)
{
    char out[32];
    std::snprintf(out, sizeof out, "2026-11-22T%02d:%02d:%02d.%03dZ", int(h), int(m), int(s), int(ms));
    return out;
}

/// The shortest text that reads back as `x`, with a ".0" when it is whole (as JSON writers print a double).
inline std::string decimal(double x)
{
    char out[32];
    auto const end = std::to_chars(out, out + sizeof out, x).ptr;
    std::string text(out, end);
    return text.find_first_of(".e") == std::string::npos ? text + ".0" : text;
}

inline std::string word(splitmix64& g) { return std::string(g.pick(words)); }

/// A row of rendered real-time data: numbers, a fragment name, a status, a time, a value, text quoted half of the time.
inline std::string typical_row(splitmix64& g)
{
    static constexpr std::array<int, 7> ids{100, 101, 102, 211, 300, 501, 811};
    static constexpr std::array<std::string_view, 8> fragments{
        "c8y_Restart", "c8y_Command", "c8y_Configuration", "c8y_Firmware",
        "c8y_SoftwareList", "c8y_Measurement", "c8y_Position", "c8y_Relay"};
    static constexpr std::array<std::string_view, 4> statuses{"PENDING", "EXECUTING", "SUCCESSFUL", "FAILED"};
    std::string row = std::to_string(g.pick(ids));
    row += ',' + std::to_string(g.between(1, 9));
    row += ',' + std::to_string(g.between(10000, 99999));
    row += ",\"" + std::string(g.pick(fragments)) + '"';
    row += ',' + std::string(g.pick(statuses));
    auto const h = g.between(0, 23), m = g.between(0, 59), s = g.between(0, 59), ms = g.between(0, 999);
    row += ',' + time_of_day(h, m, s, ms);
    auto const whole = g.between(-40, 60), fraction = g.between(0, 99);
    row += ',' + std::to_string(whole) + '.' + std::to_string(fraction);
    if(g.percent(50))
    {
        auto const a = word(g), b = word(g), c = word(g);
        row += ",\"" + a + ' ' + b + ' ' + c + '"';
    }
    else
    {
        auto const a = word(g), b = word(g);
        row += ',' + a + ' ' + b;
    }
    return row + '\n';
}

/// A quoted field: empty, or words with an embedded comma, doubled quotes, a line feed, or spaces only.
inline std::string quoted_field(splitmix64& g)
{
    auto const kind = g.next() % 100;
    if(kind < 5)
        return "\"\"";
    if(kind < 35)
    {
        auto const a = word(g), b = word(g);
        return '"' + a + ", " + b + '"';
    }
    auto const a = word(g), b = word(g), c = word(g);
    if(kind < 60)
        return '"' + a + " \"\"" + b + "\"\" " + c + '"';
    if(kind < 75)
        return '"' + a + '\n' + b + ", " + c + '"';
    return '"' + a + ' ' + b + ' ' + c + '"';
}

/// A row of one unquoted template id and seven quoted fields.
inline std::string quoted_row(splitmix64& g)
{
    static constexpr std::array<int, 5> ids{88, 100, 211, 511, 811};
    std::string row = std::to_string(g.pick(ids));
    for(int i = 0; i < 7; ++i)
        row += ',' + quoted_field(g);
    return row + '\n';
}

template<class Row>
std::string rows_up_to(std::uint64_t seed, std::size_t max_bytes, Row row)
{
    splitmix64 g(seed);
    std::string body;
    for(;;)
    {
        auto const r = row(g);
        if(body.size() + r.size() > max_bytes)
            return body;
        body += r;
    }
}

} // namespace detail

/// Whole SmartREST rows of rendered data (8 fields; the fragment name quoted, and half of the texts) while they fit in `max_bytes`.
inline std::string smartrest_typical_body(std::size_t max_bytes = 1 << 20)
{
    return detail::rows_up_to(0x5EED0001, max_bytes, detail::typical_row);
}

/// Whole SmartREST rows whose fields are quoted, with embedded commas, doubled quotes and line feeds, while they fit in `max_bytes`.
inline std::string smartrest_quoted_body(std::size_t max_bytes = 1 << 20)
{
    return detail::rows_up_to(0x5EED0002, max_bytes, detail::quoted_row);
}

/// A compact JSON array: a successful `/meta/connect` reply, then `deliveries` measurements of a device on `/measurements/12345`.
inline std::string bayeux_connect_reply(int deliveries = 100)
{
    std::string out = R"([{"channel":"/meta/connect","successful":true,)"
                      R"("advice":{"reconnect":"retry","interval":0,"timeout":30000},)"
                      R"("id":"5","clientId":"3ca2b7c1d9e84f0a8b5c6d7e8f901234"})";
    for(int i = 0; i < deliveries; ++i)
    {
        int const ms = 37 * i;
        double const celsius = 15 + (i % 40) * 0.25;
        out += R"(,{"channel":"/measurements/12345","data":{"realtimeAction":"CREATE","data":{"id":")";
        out += std::to_string(40000000 + i);
        out += R"(","type":"c8y_Temperature","time":")";
        out += detail::time_of_day(10, 0, ms / 1000, ms % 1000);
        out += R"(","source":{"id":"12345"},"c8y_Temperature":{"T":{"value":)";
        out += detail::decimal(celsius);
        out += R"(,"unit":"C"}}}},"id":")";
        out += std::to_string(1000 + i);
        out += "\"}";
    }
    return out + ']';
}

} // namespace rtnotify_bench

#endif
