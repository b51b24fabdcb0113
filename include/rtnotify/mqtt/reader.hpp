// Decodes the MQTT packets of a byte stream that arrives in chunks.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_READER_HPP
#define RTNOTIFY_MQTT_READER_HPP

#include <rtnotify/mqtt/decode_options.hpp>
#include <rtnotify/mqtt/detail/packet_parser.hpp>
#include <rtnotify/mqtt/diagnostic.hpp>
#include <rtnotify/mqtt/packet.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace rtnotify::mqtt {

/** Decodes the packets of one network connection, fed in any split.

    Feed what the socket gave, then take packets until `next` says
    `error::need_more`. The packets, and a failure's diagnostic (its offset
    counted from the first byte of the stream), are the same whatever the
    split. A packet is refused as soon as its fixed header shows it is over
    `decode_options::max_packet_bytes`, so a reader used this way holds at
    most one packet and one chunk.

    @code
    mqtt::reader r;
    r.feed(chunk);
    for(;;)
    {
        auto p = r.next();
        if(p.has_error() && p.error() == mqtt::error::need_more)
            break; // read more
        if(p.has_error())
            return close(r.diag().to_string());
        handle(*p);
    }
    @endcode
*/
class reader
{
public:
    /// Constructs a reader with the given limits.
    explicit reader(decode_options const& opts = {}) : opts_(opts) {}

    /// Appends the next bytes of the stream.
    void feed(std::string_view bytes)
    {
        if(pos_ == buf_.size())
        {
            offset_ += pos_;
            buf_.clear();
            pos_ = 0;
        }
        buf_.append(bytes);
    }

    /** Decodes the next whole packet.

        @return the packet, `error::need_more` until one is complete, or the
        error that stopped decoding; errors are sticky and described by `diag()`.
    */
    result<packet> next()
    {
        if(diag_.code)
            return diag_.code;
        std::size_t used = 0;
        diagnostic d;
        auto p = detail::decode_front(std::string_view(buf_).substr(pos_), offset_ + pos_, opts_, d, used);
        if(!p)
        {
            if(d.code != error::need_more)
                diag_ = d;
            else if(pos_ != 0)
                compact();
            return d.code;
        }
        pos_ += used;
        return std::move(*p);
    }

    /// Where and why decoding stopped; `diag().code` is empty while all is well.
    diagnostic const& diag() const noexcept { return diag_; }

    /// The bytes fed and not yet decoded.
    std::size_t buffered() const noexcept { return buf_.size() - pos_; }

private:
    void compact()
    {
        buf_.erase(0, pos_);
        offset_ += pos_;
        pos_ = 0;
    }

    decode_options opts_;
    diagnostic diag_;
    std::string buf_;        // bytes fed, from stream offset offset_
    std::size_t pos_ = 0;    // bytes of buf_ already decoded
    std::size_t offset_ = 0; // stream offset of buf_[0]
};

} // namespace rtnotify::mqtt

#endif
