// Encodes MQTT 3.1.1 control packets into bytes.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_ENCODE_HPP
#define RTNOTIFY_MQTT_ENCODE_HPP

#include <rtnotify/mqtt/error.hpp>
#include <rtnotify/mqtt/packet.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace rtnotify::mqtt {

namespace detail {

// Builds the variable header and payload of one packet; remembers the first failure.
struct body_writer
{
    std::string body;
    error_code ec;

    void byte(std::uint8_t v) { body.push_back(static_cast<char>(v)); }

    void u16(std::uint16_t v)
    {
        byte(static_cast<std::uint8_t>(v >> 8));
        byte(static_cast<std::uint8_t>(v & 0xff));
    }

    void packet_id(std::uint16_t v)
    {
        if(v == 0 && !ec)
            ec = error::bad_packet_id;
        u16(v);
    }

    void binary(std::string_view s)
    {
        if(s.size() > 0xffff && !ec)
            ec = error::field_too_long;
        u16(static_cast<std::uint16_t>(s.size()));
        body.append(s);
    }

    void qos(std::uint8_t q)
    {
        if(q > 2 && !ec)
            ec = error::bad_qos;
    }

    void operator()(connect const& c)
    {
        binary(c.protocol_level == 3 ? "MQIsdp" : "MQTT");
        byte(c.protocol_level);
        std::uint8_t flags = c.clean_session ? 0x02 : 0;
        if(c.will)
        {
            qos(c.will->qos);
            flags |= 0x04 | static_cast<std::uint8_t>((c.will->qos & 3) << 3) | (c.will->retain ? 0x20 : 0);
        }
        if(c.user_name)
            flags |= 0x80;
        if(c.password)
            flags |= 0x40;
        byte(flags);
        u16(c.keep_alive);
        binary(c.client_id);
        if(c.will)
        {
            binary(c.will->topic);
            binary(c.will->payload);
        }
        if(c.user_name)
            binary(*c.user_name);
        if(c.password)
            binary(*c.password);
    }

    void operator()(connack const& c)
    {
        byte(c.session_present ? 1 : 0);
        byte(static_cast<std::uint8_t>(c.code));
    }

    void operator()(publish const&) {} // encode() writes a PUBLISH with encode_publish, straight into its output

    void operator()(packet_id_only const& p) { packet_id(p.packet_id); }

    void operator()(subscribe const& s)
    {
        packet_id(s.packet_id);
        for(auto const& t : s.topics)
        {
            binary(t.filter);
            qos(t.qos);
            byte(t.qos);
        }
    }

    void operator()(suback const& s)
    {
        packet_id(s.packet_id);
        for(auto c : s.codes)
            byte(c);
    }

    void operator()(unsubscribe const& u)
    {
        packet_id(u.packet_id);
        for(auto const& f : u.filters)
            binary(f);
    }

    void operator()(header_only const&) {}
};

// The low four bits of a PUBLISH's first byte.
inline std::uint8_t publish_flags(bool dup, std::uint8_t qos, bool retain) noexcept
{
    return static_cast<std::uint8_t>((dup ? 0x08 : 0) | (qos & 3) << 1 | (retain ? 1 : 0));
}

// The low four bits of the first byte of a packet other than PUBLISH.
inline std::uint8_t fixed_flags(packet const& p) noexcept
{
    switch(type_of(p))
    {
    case packet_type::pubrel:
    case packet_type::subscribe:
    case packet_type::unsubscribe: return 2;
    default:                       return 0;
    }
}

} // namespace detail

/// The largest Remaining Length MQTT can encode.
inline constexpr std::size_t max_remaining_length = 268'435'455;

namespace detail {

// Appends `n` as a Remaining Length: 7 bits a byte, low bits first.
inline void append_remaining_length(std::size_t n, std::string& out)
{
    do
    {
        auto b = static_cast<std::uint8_t>(n & 0x7f);
        n >>= 7;
        out.push_back(static_cast<char>(n != 0 ? b | 0x80 : b));
    } while(n != 0);
}

// Appends the fixed header `first` and the Remaining Length, then the body `w` built.
inline error_code finish(body_writer const& w, std::uint8_t first, std::string& out)
{
    if(w.ec)
        return w.ec;
    if(w.body.size() > max_remaining_length)
        return error::field_too_long;
    out.push_back(static_cast<char>(first));
    append_remaining_length(w.body.size(), out);
    out.append(w.body);
    return {};
}

} // namespace detail

/** Appends a PUBLISH made of its parts to `out`, as `encode` does for a
    `publish` value, writing the topic and payload straight into `out` (what
    a broker does for each recipient of a shared message). The same checks
    as `encode`, in the order of the fields; on error `out` is unchanged.
*/
inline error_code encode_publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain,
                                 bool dup, std::uint16_t packet_id, std::string& out)
{
    if(qos > 2)
        return error::bad_qos;
    if(topic.size() > 0xffff)
        return error::field_too_long;
    if(qos != 0 && packet_id == 0)
        return error::bad_packet_id;
    std::size_t const length = 2 + topic.size() + (qos != 0 ? 2 : 0) + payload.size();
    if(length > max_remaining_length)
        return error::field_too_long;
    out.reserve(out.size() + 5 + length);
    out.push_back(static_cast<char>(0x30 | detail::publish_flags(dup, qos, retain)));
    detail::append_remaining_length(length, out);
    out.push_back(static_cast<char>(topic.size() >> 8));
    out.push_back(static_cast<char>(topic.size() & 0xff));
    out.append(topic);
    if(qos != 0)
    {
        out.push_back(static_cast<char>(packet_id >> 8));
        out.push_back(static_cast<char>(packet_id & 0xff));
    }
    out.append(payload);
    return {};
}

/** Appends the bytes of packet `p` to `out`.

    The caller's values are checked only where they cannot be encoded or
    would make a packet every receiver refuses: a string over 65,535 bytes or
    a packet over `max_remaining_length` (`error::field_too_long`), a QoS
    above 2 (`error::bad_qos`), a packet identifier of 0 where one is needed
    (`error::bad_packet_id`). On error `out` is unchanged.
*/
inline error_code encode(packet const& p, std::string& out)
{
    if(auto const* pub = std::get_if<publish>(&p))
        return encode_publish(pub->topic, pub->payload, pub->qos, pub->retain, pub->dup, pub->packet_id, out);
    detail::body_writer w;
    std::visit(w, p);
    return detail::finish(w, static_cast<std::uint8_t>(static_cast<std::uint8_t>(type_of(p)) << 4 | detail::fixed_flags(p)),
                          out);
}

} // namespace rtnotify::mqtt

#endif
