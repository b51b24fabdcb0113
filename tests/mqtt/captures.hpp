// Test helpers: the MQTT streams recorded from real clients (tests/data/mqtt) and decoding a whole stream.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_MQTT_CAPTURES_HPP
#define RTNOTIFY_TESTS_MQTT_CAPTURES_HPP

#include <rtnotify/mqtt/reader.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_test {

/** The bytes one direction of a real connection carried, recorded by
    fuzz/seeds/capture_mqtt.py: `NAME.to_broker` is what the client sent,
    `NAME.from_broker` what Debian's mosquitto answered.
*/
inline std::string mqtt_capture(std::string const& name)
{
    std::ifstream in(std::string(RTNOTIFY_TEST_DATA_DIR) + "/mqtt/" + name, std::ios::binary);
    if(!in)
        throw std::runtime_error("missing capture " + name);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// The packets of a stream fed in the given chunks, and the reader's diagnostic at the end.
struct mqtt_stream
{
    std::vector<rtnotify::mqtt::packet> packets;
    rtnotify::mqtt::diagnostic diag;

    bool operator==(mqtt_stream const&) const = default;
};

/// Feeds `chunks` to one reader in order and takes every packet they complete.
inline mqtt_stream read_mqtt(std::vector<std::string_view> const& chunks,
                             rtnotify::mqtt::decode_options const& opts = {})
{
    rtnotify::mqtt::reader r(opts);
    mqtt_stream s;
    for(auto chunk : chunks)
    {
        r.feed(chunk);
        for(;;)
        {
            auto p = r.next();
            if(!p)
                break;
            s.packets.push_back(std::move(*p));
        }
    }
    s.diag = r.diag();
    return s;
}

} // namespace rtnotify_test

#endif
