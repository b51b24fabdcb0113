// A decoded SmartREST body: records as views of their fields.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_DOCUMENT_HPP
#define RTNOTIFY_SMARTREST_DOCUMENT_HPP

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::smartrest {

namespace detail { struct builder; }

/// One decoded record: a view of its fields and where it starts in the body.
struct record
{
    /// The field values, unquoted and unescaped.
    std::span<std::string_view const> fields;

    /// Byte offset of the record's first byte in the body.
    std::size_t offset = 0;

    /// 1-based physical line on which the record starts.
    std::size_t line = 1;

    /// The number of fields.
    std::size_t size() const noexcept { return fields.size(); }

    /// The field at `i`; `i` must be less than `size()`.
    std::string_view operator[](std::size_t i) const noexcept { return fields[i]; }
};

/** The records decoded from a SmartREST body.

    Fields are views. A field that needed unescaping (a quoted field with
    `""` inside) lives in the document's own storage; every other field
    points into the decoded input, which must outlive the document. A
    document filled by `reader` owns all its bytes.
*/
class document
{
public:
    /// The number of records.
    std::size_t size() const noexcept { return records_.size(); }

    /// True when there are no records.
    bool empty() const noexcept { return records_.empty(); }

    /// The record at `i`; `i` must be less than `size()`.
    record operator[](std::size_t i) const noexcept
    {
        auto const& e = records_[i];
        return {std::span<std::string_view const>(fields_.data() + e.first, e.count), e.offset, e.line};
    }

    /// Reserves room for the records of a body of `bytes` bytes of typical rows.
    void reserve_for(std::size_t bytes)
    {
        fields_.reserve(fields_.size() + bytes / 12);
        records_.reserve(records_.size() + bytes / 96);
    }

    /// Removes every record and releases owned storage.
    void clear() noexcept
    {
        fields_.clear();
        records_.clear();
        storage_.clear();
        arena_.clear();
    }

    /// Index-based iterator over records.
    class iterator
    {
    public:
        using value_type = record;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        iterator(document const* d, std::size_t i) noexcept : d_(d), i_(i) {}

        record operator*() const noexcept { return (*d_)[i_]; }
        iterator& operator++() noexcept { ++i_; return *this; }
        iterator operator++(int) noexcept { auto t = *this; ++i_; return t; }
        bool operator==(iterator const&) const = default;

    private:
        document const* d_ = nullptr;
        std::size_t i_ = 0;
    };

    iterator begin() const noexcept { return {this, 0}; }
    iterator end() const noexcept { return {this, size()}; }

private:
    friend struct detail::builder;
    friend class reader;

    struct entry
    {
        std::size_t first;  // index of the first field in fields_
        std::size_t count;  // number of fields
        std::size_t offset; // byte offset in the body
        std::size_t line;   // 1-based line
    };

    // Room for `n` bytes that never move: blocks of at least 64 KiB, each
    // reserved once and never grown past its capacity.
    char* allocate(std::size_t n)
    {
        if(arena_.empty() || arena_.back().capacity() - arena_.back().size() < n)
            arena_.emplace_back().reserve(n > 65536 ? n : 65536);
        auto& block = arena_.back();
        auto const at = block.size();
        block.resize(at + n);
        return block.data() + at;
    }

    std::vector<std::string_view> fields_;
    std::vector<entry> records_;
    std::deque<std::string> storage_; // input chunks adopted by the reader
    std::deque<std::string> arena_;   // unescaped fields
};

} // namespace rtnotify::smartrest

#endif
