#!/usr/bin/python3
"""Opens an export workbook with openpyxl and checks it holds what the
CSV export of the same table holds: one sheet of the given name, the same
header and the same rows, cell for cell.

    compare_xlsx.py BOOK.xlsx TABLE.csv SHEET_NAME

Prints one line saying what matched, or what did not, and exits 0 or 1.
Run with Debian's python3 (python3-openpyxl)."""

import csv
import sys

import openpyxl


def text(value):
    # The workbook keeps whole numbers (URNs, LA codes, counts) as numbers.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def main():
    book_path, csv_path, sheet_name = sys.argv[1:4]
    book = openpyxl.load_workbook(book_path, read_only=True)
    if book.sheetnames != [sheet_name]:
        print(f"sheets are {book.sheetnames}, not [{sheet_name!r}]")
        return 1
    sheet = book[sheet_name]
    book_rows = [[text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        csv_rows = list(csv.reader(f))
    if not csv_rows or book_rows[0] != csv_rows[0]:
        print(f"headers differ: {book_rows[0] if book_rows else None} / "
              f"{csv_rows[0] if csv_rows else None}")
        return 1
    width = len(csv_rows[0])
    book_rows = [row + [""] * (width - len(row)) for row in book_rows]
    if len(book_rows) != len(csv_rows):
        print(f"{len(book_rows) - 1} rows in the workbook, {len(csv_rows) - 1} in the CSV")
        return 1
    for number, (a, b) in enumerate(zip(book_rows, csv_rows)):
        if a != b:
            cells = [(csv_rows[0][i], a[i], b[i]) for i in range(width) if a[i] != b[i]]
            print(f"row {number} differs: {cells[:3]}")
            return 1
    print(f"{len(csv_rows) - 1} rows and the header equal in {sheet_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
