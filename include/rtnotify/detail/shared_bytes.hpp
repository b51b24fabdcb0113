// The bytes of immutable texts shared by several holders, each text counted once while any holder has it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_SHARED_BYTES_HPP
#define RTNOTIFY_DETAIL_SHARED_BYTES_HPP

#include <cstddef>
#include <string>
#include <unordered_map>

namespace rtnotify::detail {

/** Counts shared texts by identity: the first holder of a text adds its
    size, the last one to let go takes it away. The texts must stay alive
    while held (their holders keep them).
*/
class shared_bytes
{
public:
    /// One more holder of `*text`.
    void hold(std::string const* text)
    {
        if(++holders_[text] == 1)
            bytes_ += text->size();
    }

    /// One holder of `*text` fewer; nothing when it was not held.
    void unhold(std::string const* text)
    {
        auto it = holders_.find(text);
        if(it == holders_.end() || --it->second != 0)
            return;
        bytes_ -= text->size();
        holders_.erase(it);
    }

    /// True when some holder has `*text`.
    bool held(std::string const* text) const { return holders_.contains(text); }

    /// The size of every text held, each once.
    std::size_t bytes() const noexcept { return bytes_; }

private:
    std::unordered_map<std::string const*, std::size_t> holders_;
    std::size_t bytes_ = 0;
};

} // namespace rtnotify::detail

#endif
