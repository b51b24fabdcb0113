// Fuzz target for the MQTT 3.1.1 codec: the stream reader, the decoder, the encoder and topic matching.
// SPDX-License-Identifier: BSL-1.0
//
// Byte 0 picks the options: bits 0-5 the chunk size of the second reader
// (1 to 64), bit 6 tiny limits. The rest is the byte stream of one
// connection. Properties checked:
// - a reader fed the whole stream and one fed it in chunks give the same
//   packets and the same diagnostic;
// - every decoded packet encodes, and its bytes decode to the same packet
//   (so the reader refuses every packet the encoder would refuse);
// - every topic filter of a SUBSCRIBE matches or not each PUBLISH topic name
//   without crashing, and a filter equal to a name matches it.
#include <rtnotify/mqtt.hpp>

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mqtt = rtnotify::mqtt;

using rtnotify_fuzz::check;

namespace {

struct stream
{
    std::vector<mqtt::packet> packets;
    mqtt::diagnostic diag;
    bool operator==(stream const&) const = default;
};

stream read_all(std::string_view bytes, std::size_t chunk, mqtt::decode_options const& opts)
{
    mqtt::reader r(opts);
    stream s;
    for(std::size_t at = 0; at < bytes.size(); at += chunk)
    {
        r.feed(bytes.substr(at, chunk));
        for(auto p = r.next(); p; p = r.next())
            s.packets.push_back(std::move(*p));
    }
    s.diag = r.diag();
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    std::size_t const chunk = (data[0] & 0x3f) + 1;
    mqtt::decode_options opts;
    if(data[0] & 0x40)
        opts = {64, 8, 2};
    std::string_view const bytes(reinterpret_cast<char const*>(data) + 1, size - 1);

    auto const whole = read_all(bytes, bytes.size() + 1, opts);
    check(read_all(bytes, chunk, opts) == whole, "chunked reader agrees with the whole-stream reader");

    std::vector<std::string_view> names, filters;
    for(auto const& p : whole.packets)
    {
        std::string again;
        check(!mqtt::encode(p, again), "a decoded packet encodes");
        auto const back = mqtt::decode(again, opts);
        check(back.has_value() && *back == p, "a packet decodes back from its encoding", again);
        if(auto const* pub = std::get_if<mqtt::publish>(&p))
            names.push_back(pub->topic);
        else if(auto const* sub = std::get_if<mqtt::subscribe>(&p))
            for(auto const& t : sub->topics)
                filters.push_back(t.filter);
    }
    for(auto f : filters)
        for(auto n : names)
            (void)mqtt::topic_matches(f, n);
    for(auto n : names)
        check(mqtt::topic_matches(n, n) == true, "a name used as a filter matches itself", n);
    return 0;
}
