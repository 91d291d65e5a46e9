# sqlcipher3 ships no type information; its DB-API is the standard library's sqlite3 module
# built against SQLCipher, so the stdlib's types describe it.
from sqlite3 import Connection as Connection
from sqlite3 import Cursor as Cursor
from sqlite3 import DatabaseError as DatabaseError
from sqlite3 import Error as Error
from sqlite3 import IntegrityError as IntegrityError
from sqlite3 import OperationalError as OperationalError
from sqlite3 import ProgrammingError as ProgrammingError
from sqlite3 import Row as Row
from sqlite3 import connect as connect
from sqlite3 import register_adapter as register_adapter
