"""Numba kernels for reading delimited text: many files' bytes to float columns in one pass.

Numbers are converted with correct rounding (the same float64 as Python's ``float``): the
decimal significand (up to 19 digits) and exponent are read exactly, then converted by
Clinger's exact fast path when it applies and otherwise by the Eisel-Lemire algorithm
(D. Lemire, "Number parsing at a gigabyte per second", Software: Practice and Experience
51, 2021), which either gives the correctly rounded value or declines.  Declined cells (and
cells with more than 19 significant digits) are returned to the caller, who converts them
with Python's ``float``.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic

#: Status codes of :func:`parse_columns`.
OK, NOT_A_NUMBER, NAN_CELL, EMPTY_CELL, CELL_COUNT, ROWS_FULL = 0, 1, 2, 3, 4, 5

_MIN_EXP10, _MAX_EXP10 = -348, 347
_U = np.uint64


def _powers_of_ten() -> tuple[np.ndarray, np.ndarray]:
    """High and low 64-bit words of 10^e's 128-bit significand (rounded down), e in range."""
    hi = np.empty(_MAX_EXP10 - _MIN_EXP10 + 1, dtype=np.uint64)
    lo = np.empty_like(hi)
    for k, e in enumerate(range(_MIN_EXP10, _MAX_EXP10 + 1)):
        if e >= 0:
            v = 10**e
            n = v.bit_length()
            v = v << (128 - n) if n <= 128 else v >> (n - 128)
        else:
            d = 10**-e
            v = (1 << (128 + d.bit_length())) // d
            n = v.bit_length()
            if n > 128:
                v >>= n - 128
        hi[k], lo[k] = v >> 64, v & ((1 << 64) - 1)
    return hi, lo


_POW_HI, _POW_LO = _powers_of_ten()
_EXACT = np.array([10.0**k for k in range(23)])


@njit(cache=True, inline="always")
def _mul64(a, b):
    """Full 128-bit product of two uint64: (high word, low word)."""
    mask = _U(0xFFFFFFFF)
    s32 = _U(32)
    a0, a1 = a & mask, a >> s32
    b0, b1 = b & mask, b >> s32
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> s32) + (p01 & mask) + (p10 & mask)
    lo = (mid << s32) | (p00 & mask)
    hi = p11 + (p01 >> s32) + (p10 >> s32) + (mid >> s32)
    return hi, lo


@intrinsic
def _leading_zeros(typingctx, x):
    """Number of leading zero bits of a uint64 (LLVM ``ctlz``)."""
    if x != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        return builder.ctlz(args[0], ir.Constant(ir.IntType(1), 0))

    return types.uint64(types.uint64), codegen


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE-754 bit pattern is the uint64 ``bits``."""
    if bits != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.uint64), codegen


@njit(cache=True)
def _eisel_lemire(man, exp10):
    """``man * 10**exp10`` correctly rounded (man > 0), or (False, 0.0) when undecided."""
    if exp10 < _MIN_EXP10 or exp10 > _MAX_EXP10:
        return False, 0.0
    clz = int(_leading_zeros(man))
    man = man << _U(clz)
    ret_exp2 = ((217706 * exp10) >> 16) + 64 + 1023 - clz
    k = exp10 - _MIN_EXP10
    x_hi, x_lo = _mul64(man, _POW_HI[k])
    nine = _U(0x1FF)
    if (x_hi & nine) == nine and x_lo + man < man:
        y_hi, y_lo = _mul64(man, _POW_LO[k])
        merged_hi, merged_lo = x_hi, x_lo + y_hi
        if merged_lo < x_lo:
            merged_hi += _U(1)
        if (merged_hi & nine) == nine and merged_lo + _U(1) == _U(0) and y_lo + man < man:
            return False, 0.0
        x_hi, x_lo = merged_hi, merged_lo
    msb = x_hi >> _U(63)
    mantissa = x_hi >> (msb + _U(9))
    ret_exp2 -= 1 - int(msb)
    if x_lo == _U(0) and (x_hi & nine) == _U(0) and (mantissa & _U(3)) == _U(1):
        return False, 0.0
    mantissa += mantissa & _U(1)
    mantissa = mantissa >> _U(1)
    if (mantissa >> _U(53)) > _U(0):
        mantissa = mantissa >> _U(1)
        ret_exp2 += 1
    if ret_exp2 < 1 or ret_exp2 > 0x7FE:
        return False, 0.0
    bits = (_U(ret_exp2) << _U(52)) | (mantissa & _U((1 << 52) - 1))
    return True, _float_from_bits(bits)


@njit(cache=True, inline="always")
def _is_digit(c):
    return 48 <= c <= 57


@njit(cache=True)
def _parse_number(buf, a, b):
    """The number in ``buf[a:b]`` (already stripped): (status, value); status OK, or
    NOT_A_NUMBER / NAN_CELL / EMPTY_CELL, or -1 when Python must convert the text."""
    if a >= b:
        return EMPTY_CELL, 0.0
    i = a
    neg = False
    if buf[i] == 43 or buf[i] == 45:  # + -
        neg = buf[i] == 45
        i += 1
    man = _U(0)
    digits = 0
    exp10 = 0
    seen = False
    truncated = False
    while i < b and _is_digit(buf[i]):
        seen = True
        d = _U(buf[i] - 48)
        if man == _U(0) and d == _U(0):
            pass
        elif digits < 19:
            man = man * _U(10) + d
            digits += 1
        else:
            truncated = True
            exp10 += 1
        i += 1
    if i < b and buf[i] == 46:  # .
        i += 1
        while i < b and _is_digit(buf[i]):
            seen = True
            d = _U(buf[i] - 48)
            if man == _U(0) and d == _U(0):
                exp10 -= 1
            elif digits < 19:
                man = man * _U(10) + d
                digits += 1
                exp10 -= 1
            elif d != _U(0):
                truncated = True
            i += 1
    if not seen:
        c = buf[i] | 32 if i < b else 0
        if i + 3 == b and c == 110 and (buf[i + 1] | 32) == 97 and (buf[i + 2] | 32) == 110:
            return NAN_CELL, 0.0
        return NOT_A_NUMBER, 0.0
    if i < b and (buf[i] == 101 or buf[i] == 69):  # e E
        i += 1
        eneg = False
        if i < b and (buf[i] == 43 or buf[i] == 45):
            eneg = buf[i] == 45
            i += 1
        if i >= b or not _is_digit(buf[i]):
            return NOT_A_NUMBER, 0.0
        e = 0
        while i < b and _is_digit(buf[i]):
            if e < 100000:
                e = e * 10 + (buf[i] - 48)
            i += 1
        exp10 += -e if eneg else e
    if i != b:
        return NOT_A_NUMBER, 0.0
    if truncated:
        return -1, 0.0
    if man == _U(0):
        return OK, -0.0 if neg else 0.0
    if man <= _U(1 << 53) and -22 <= exp10 <= 22:
        value = float(man)
        value = value * _EXACT[exp10] if exp10 >= 0 else value / _EXACT[-exp10]
    else:
        ok, value = _eisel_lemire(man, exp10)
        if not ok:
            return -1, 0.0
    return OK, -value if neg else value


@njit(cache=True, inline="always")
def _is_blank(c, delimiter):
    """Blank inside a cell: space, carriage return, a quote, or a tab unless it delimits."""
    return c == 32 or c == 13 or c == 34 or c == 39 or (c == 9 and delimiter != 9)


@njit(cache=True)
def _parse_file(buf, p, end, line, slots, ncols, delimiter, out, fallback, status):
    """Parse one file's body ``buf[p:end]`` (first line number ``line``); see
    :func:`parse_columns` for the arguments (here one file's rows of them) and ``status``."""
    used = 0
    whitespace = delimiter == 0
    row = 0
    while p < end:
        line_start = p
        while p < end and (buf[p] == 32 or buf[p] == 9 or buf[p] == 13):
            p += 1
        if p >= end or buf[p] == 10:  # blank line
            p += 1
            line += 1
            continue
        if row >= out.shape[1]:
            status[0], status[1] = ROWS_FULL, line
            return
        col = 0
        while True:
            # cell [p, e): up to the delimiter or the end of the line
            e = p
            if whitespace:
                while e < end and buf[e] != 10 and buf[e] != 32 and buf[e] != 9 and buf[e] != 13:
                    e += 1
            else:
                while e < end and buf[e] != 10 and buf[e] != delimiter:
                    e += 1
            if col < slots.size and slots[col] >= 0:
                a, b = p, e
                while a < b and _is_blank(buf[a], delimiter):
                    a += 1
                while b > a and _is_blank(buf[b - 1], delimiter):
                    b -= 1
                code, value = _parse_number(buf, a, b)
                if code == -1:
                    fallback[used, 0] = slots[col]
                    fallback[used, 1] = row
                    fallback[used, 2] = a
                    fallback[used, 3] = b
                    used += 1
                    value = np.nan
                elif code != OK:
                    status[0], status[1], status[2], status[3], status[4] = code, line, col + 1, a, b
                    return
                out[slots[col], row] = value
            col += 1
            if whitespace:
                while e < end and (buf[e] == 32 or buf[e] == 9 or buf[e] == 13):
                    e += 1
                p = e
                if p >= end or buf[p] == 10:
                    break
            else:
                p = e + 1
                if e >= end or buf[e] == 10:
                    break
        if col != ncols:
            eol = line_start
            while eol < end and buf[eol] != 10:
                eol += 1
            status[0], status[1], status[2], status[3], status[4] = (CELL_COUNT, line, col,
                                                                     line_start, eol)
            return
        row += 1
        line += 1
        if whitespace:
            p += 1
    status[0], status[5], status[6] = OK, used, row


@njit(cache=True)
def parse_columns(buf, starts, ends, first_line, slots, ncols, delimiter, out, fallback, status):
    """Parse the bodies of delimited text files, keeping chosen columns.

    Blank lines are skipped; every other line is a row.

    Args:
        buf: uint8 bytes of all files.
        starts, ends: byte range of each file's body (after its header line).
        first_line: line number (1-based) of each body's first line.
        slots: ``slots[f, c]`` is the output slot of column ``c`` of file ``f``, or -1.
        ncols: number of cells every row of file ``f`` must have.
        delimiter: byte of the delimiter; 0 for runs of blanks (space, tab).
        out: float64 ``(files, slots, max rows)``, filled row by row.
        fallback: int64 ``(files, m, 4)`` receiving (slot, row, start, end) of each cell that
            Python must convert.
        status: int64 ``(files, 7)`` receiving, per file, (code, line, column, cell start,
            cell end, fallbacks used, rows): code OK or the first error in that file
            (column 1-based; for CELL_COUNT ``column`` is the number of cells found and the
            cell the whole line; ROWS_FULL: ``out`` has too few rows).
    """
    for f in range(starts.size):
        _parse_file(buf, starts[f], ends[f], first_line[f], slots[f], ncols[f], delimiter,
                    out[f], fallback[f], status[f])
